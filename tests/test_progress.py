"""Progress on stderr: step names and elapsed time on a terminal; silent elsewhere, with --quiet, and on stdout."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap import progress, read_network
from netmap.cli import cli
from netmap.io import reader
from netmap.render.report import SECTIONS, write_report

ROOT = Path(__file__).resolve().parents[1]
TITLES = [title for _, title, _ in SECTIONS]
MAPS = ["Map of the network", "Map: whom to approach next", "Map: dependency risks", "Map: where our network lives"]


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_step_shows_its_name_then_its_seconds():
    term = Terminal()
    with progress.showing(term):
        with progress.step("Reading relationships.csv (12 MB)"):
            pass
    assert re.fullmatch(r"Reading relationships\.csv \(12 MB\) \.\.\. 0\.\d s\n", term.getvalue())


def test_nested_steps_are_indented_and_the_outer_one_ends_on_its_own_line():
    term = Terminal()
    with progress.showing(term):
        with progress.step("Report"):
            with progress.step("Brokers"):
                pass
    lines = term.getvalue().splitlines()
    assert [re.sub(r"\d+\.\d s", "T", x) for x in lines] == ["Report ...", "  Brokers ... T", "Report: T"]


def test_a_step_that_fails_says_so_and_the_error_goes_on():
    term = Terminal()
    with progress.showing(term), pytest.raises(KeyError):
        with progress.step("Dependency risks"):
            raise KeyError("x")
    assert re.fullmatch(r"Dependency risks \.\.\. stopped after 0\.\d s\n", term.getvalue())


def test_a_bar_shows_the_share_done(monkeypatch):
    monkeypatch.setattr(progress, "REDRAW_EVERY", 0.0)  # draw at every step
    term = Terminal()
    with progress.showing(term), progress.bar("Writing to Neo4j", 8, "rows") as b:
        for _ in range(4):
            b.advance(2)
    frames = [f for f in term.getvalue().split("\r\x1b[K") if f]
    assert [re.search(r"\] +(\d+)%  ([\d,]+)/8 rows", f).groups() for f in frames] == [
        ("25", "2"), ("50", "4"), ("75", "6"), ("100", "8"), ("100", "8")]
    assert frames[1].startswith("Writing to Neo4j [" + "#" * 12 + "." * 12 + "]")
    assert frames[-1].endswith(" s\n") and not any(f.endswith("\n") for f in frames[:-1])


def test_labels_show_control_characters_instead_of_obeying_them():
    term = Terminal()
    with progress.showing(term), progress.step("Reading \x1b[2Jevil.csv"):
        pass
    assert "\x1b[2J" not in term.getvalue() and "Reading <U+001B>[2Jevil.csv" in term.getvalue()


def test_silent_when_the_stream_is_not_a_terminal():
    pipe = io.StringIO()
    with progress.showing(pipe), progress.step("Brokers"), progress.bar("Loading", 3) as b:
        b.advance(3)
    assert pipe.getvalue() == ""


def test_the_library_is_silent_unless_progress_is_turned_on(monkeypatch, tiny_dir, tmp_path):
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert not progress.is_on()
    write_report(read_network(tiny_dir), tmp_path / "report", maps=False)
    assert term.getvalue() == ""
    with progress.showing():  # the default stream is stderr at the time of writing
        with progress.step("Brokers"):
            pass
    assert term.getvalue().startswith("Brokers ... ")
    assert not progress.is_on()


def test_the_report_names_each_section_map_and_table_step_on_stderr_only(tiny, tmp_path, capsys):
    term = Terminal()
    with progress.showing(term):
        write_report(tiny, tmp_path / "report")
    text = term.getvalue()
    names = [re.sub(r" \.\.\. \d+\.\d s$", "", x) for x in text.splitlines()]
    sections = len(TITLES)
    assert sorted(names[:sections]) == sorted(TITLES)  # each section once, in the order they are built
    assert names[sections:] == MAPS + ["Tables as CSV and report.xlsx"]
    assert capsys.readouterr().out == ""


def test_reading_a_big_file_says_which_and_how_big(monkeypatch, tiny_dir):
    term = Terminal()
    with progress.showing(term):
        read_network(tiny_dir)
    assert term.getvalue() == ""  # small files are quick: nothing to show
    monkeypatch.setattr(reader, "BIG_FILE", 0)
    monkeypatch.setattr(reader, "BIG_NETWORK", 0)
    with progress.showing(term):
        read_network(tiny_dir)
    mb = f"{(tiny_dir / 'relationships.csv').stat().st_size / 1e6:.1f} MB"
    steps = [x.split(" ... ")[0] for x in term.getvalue().splitlines()]
    assert steps == ["Reading organizations.csv (0.0 MB)", "Checking organizations",
                     f"Reading relationships.csv ({mb})", "Checking relationships", "Building the network"]


def test_the_command_turns_progress_off_again(tiny_dir, monkeypatch):
    result = CliRunner().invoke(cli, ["validate", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert not progress.is_on()


def _report(tmp_path: Path, *args: str, env: dict | None = None, terminal: bool = True) -> tuple[str, str]:
    """Run ``netmap ARGS report`` on the tiny network; return stdout and stderr (a pseudo-terminal, or a pipe)."""
    cmd = [sys.executable, "-c", "from netmap.cli import main; main()", *args, "report",
           str(ROOT / "sample_data" / "tiny"), "-o", str(tmp_path / "report"), "--no-maps"]
    full_env = {k: v for k, v in os.environ.items() if k != "NETMAP_QUIET"}
    full_env.update({"PYTHONPATH": str(ROOT / "src"), **(env or {})})
    if not terminal:
        proc = subprocess.run(cmd, capture_output=True, env=full_env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.decode(), proc.stderr.decode()
    master, slave = os.openpty()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=slave, env=full_env, timeout=300)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.returncode == 0, b"".join(chunks)
    return proc.stdout.decode(), b"".join(chunks).decode()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
@pytest.mark.parametrize("args,env", [((), None), (("--quiet",), None), (("-q",), None), ((), {"NETMAP_QUIET": "1"})])
def test_the_command_shows_progress_on_a_terminal_unless_quiet(tmp_path, args, env):
    stdout, terminal = _report(tmp_path, *args, env=env)
    assert stdout == ""
    quiet = bool(args or env)
    for title in TITLES:
        assert (f"{title} ... " in terminal) is not quiet, terminal
    assert "Wrote " in terminal


def test_the_command_shows_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    stdout, stderr = _report(tmp_path, terminal=False)
    assert stdout == ""
    assert stderr.startswith("Wrote ") and stderr.count("\n") == 1, stderr


@pytest.mark.bolt
def test_loading_into_neo4j_shows_each_step_and_a_bar_of_the_rows_written(tiny, bolt):
    from netmap.store import load_into_neo4j

    term, written = Terminal(), []
    with progress.showing(term):
        load_into_neo4j(tiny, bolt, progress=written.append)
    text = term.getvalue()
    lines = [x.split("\r\x1b[K")[-1] for x in text.rstrip("\n").split("\n")]  # what the terminal shows
    assert lines[0].startswith("Comparing Neo4j with the network ... ")
    total = sum(written)
    assert re.match(rf"Writing to Neo4j \[#{{24}}\] 100%  {total:,}/{total:,} rows  \d+\.\d s$", lines[1]), lines
    assert lines[2].startswith("Checking what Neo4j holds now ... ") and len(lines) == 3
    assert not bolt.password or bolt.password not in text  # a real Neo4j has one
