"""The documentation is checked against the code: examples run, names import, the CLI reference is current.

* every ``netmap ...`` line of a ``console`` or ``bash`` block in README.md and
  docs/*.md runs and exits 0 (``--neo4j`` lines against the Bolt test server);
* every Python example is a ``>>>`` session that passes as a doctest;
* every name the docs mention imports;
* docs/cli.md is what ``python -m netmap.cli.reference`` writes;
* every command has help, a section on a topic page and a runnable example;
  every page is linked from docs/index.md and every link resolves.
"""

from __future__ import annotations

import doctest
import importlib
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import netmap
from netmap.cli import cli
from netmap.cli import reference

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FILES = [README, *PAGES]
COMMANDS = sorted(cli.commands)
#: Pages written by hand about a topic (the generated reference and the index do not count as a command's page).
TOPIC_PAGES = [p for p in PAGES if p.name not in ("cli.md", "index.md")]

README_MAX_LINES = 250
README_MAX_BYTES = 25_000

FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
SHELL_SYNTAX = {"|", "||", "&&", ";", ">", ">>", "<", "&"}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _blocks(path: Path):
    """(language, first line number of the body, body) of each fenced block."""
    text = path.read_text(encoding="utf-8")
    for m in FENCE.finditer(text):
        yield m.group(1).lower(), text.count("\n", 0, m.start(2)) + 1, m.group(2)


def _command_lines(path: Path):
    """(line number, command) of every ``netmap`` line in the file's console and bash blocks."""
    for lang, first, body in _blocks(path):
        if lang not in ("console", "bash", "shell", "sh"):
            continue
        lines = body.splitlines()
        i = 0
        while i < len(lines):
            start, line = i, lines[i]
            while line.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line.rstrip()[:-1] + " " + lines[i].strip()
            i += 1
            text = line.strip()
            if lang == "console":
                if not text.startswith("$ "):
                    continue  # output shown after a command
                text = text[2:].strip()
            if text.split(maxsplit=1)[:1] == ["netmap"]:
                yield first + start, text


def _examples():
    seen: dict[str, list[str]] = {}
    for path in FILES:
        for line, command in _command_lines(path):
            seen.setdefault(command, []).append(f"{_rel(path)}:{line}")
    return seen


EXAMPLES = _examples()


def _example_params() -> list:
    return [pytest.param(command, where, id=where[0],
                         marks=[pytest.mark.bolt] if "--neo4j" in command.split() else [])
            for command, where in EXAMPLES.items()]


# -- the CLI reference ---------------------------------------------------------------------------------------


def test_cli_reference_is_current():
    problem = reference.check(DOCS / "cli.md")
    assert problem is None, problem


def test_cli_reference_check_exits_1_on_drift(tmp_path, capsys):
    stale = tmp_path / "cli.md"
    stale.write_text("# Command-line reference\n", encoding="utf-8")
    assert reference.main(["--check", "--output", str(stale)]) == 1
    assert "python -m netmap.cli.reference" in capsys.readouterr().err
    assert reference.main(["--output", str(stale)]) == 0
    assert reference.main(["--check", "--output", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == reference.render()


# -- every command: help, a topic page, an example -----------------------------------------------------------


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name):
    cmd = cli.commands[name]
    assert cmd.help and cmd.help.strip(), f"netmap {name} has no help text"
    assert cmd.short_help or cmd.help.strip().splitlines()[0], f"netmap {name} has no one-line summary"
    assert f"## netmap {name}\n" in reference.render(), f"docs/cli.md has no section for netmap {name}"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_section_on_a_topic_page(name):
    heading = re.compile(rf"^#+ .*`netmap {re.escape(name)}\b[^`]*`", re.M)
    pages = [p.name for p in TOPIC_PAGES if heading.search(FENCE.sub("", p.read_text(encoding="utf-8")))]
    assert pages, (f"no page in docs/ has a heading naming `netmap {name}`; document the command on its topic page "
                   "and link that page from docs/index.md")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_runnable_example(name):
    assert any(c.split()[1:2] == [name] for c in EXAMPLES), (
        f"no ```console block in README.md or docs/ runs `netmap {name} ...`")


# -- the README and the pages -----------------------------------------------------------------------------


def test_readme_is_short():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES, f"README.md has {len(text.splitlines())} lines; move detail to docs/"
    assert len(text.encode("utf-8")) <= README_MAX_BYTES, f"README.md has {len(text.encode())} bytes; move detail to docs/"


def test_readme_test_command_is_what_ci_runs():
    readme = README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in ('python3 -m venv .venv && .venv/bin/pip install', '-e ".[test]"', ".venv/bin/python -m pytest"):
        assert command in readme, f"the README does not show `{command}`"
        assert command in ci, f".ci/run does not run `{command}`"


def test_every_page_is_linked_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([\w.-]+\.md)(?:#[^)]*)?\)", index))
    missing = [p.name for p in PAGES if p.name != "index.md" and p.name not in linked]
    assert not missing, f"docs/index.md does not link {', '.join(missing)}"
    assert "docs/index.md" in README.read_text(encoding="utf-8"), "the README does not link docs/index.md"


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_links_resolve(path):
    text = _outside_code(path.read_text(encoding="utf-8"))
    bad = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # http:, mailto: ...
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.exists():
            bad.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            bad.append(f"{target}: no heading with that anchor in {_rel(dest)}")
    assert not bad, f"{_rel(path)}: " + "; ".join(bad)


# -- command examples run ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs_neo4j(bolt_settings):
    """The Bolt test server (or NETMAP_TEST_NEO4J_URI), emptied and loaded with sample_data once for this module."""
    from bolt_server import wipe

    wipe(bolt_settings)
    args = ["load", str(ROOT / "sample_data"), "--neo4j", *_password_args(bolt_settings)]
    res = CliRunner().invoke(cli, args, env=_neo4j_env(bolt_settings), prog_name="netmap")
    assert res.exit_code == 0, res.output
    return bolt_settings


@pytest.mark.parametrize("command,where", _example_params())
def test_command_example_runs(command, where, tmp_path, monkeypatch, request):
    argv = shlex.split(command, comments=True)
    syntax = SHELL_SYNTAX.intersection(argv)
    assert not syntax, (f"{where[0]}: `{command}` uses shell syntax ({' '.join(sorted(syntax))}); "
                        "show a plain netmap command, and its output after it")
    args = argv[1:]
    env = {}
    if "--neo4j" in args:
        settings = request.getfixturevalue("docs_neo4j")
        env = _neo4j_env(settings)
        if "--neo4j-password" not in args:
            args += _password_args(settings)
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, args, env=env, prog_name="netmap")
    assert res.exit_code == 0, (f"`{command}` (at {', '.join(where)}) exited {res.exit_code}:\n{res.output}"
                                + (f"\n{res.exception!r}" if res.exception and res.exit_code not in (1, 2) else ""))


def _neo4j_env(settings) -> dict:
    return {"NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.user, "NEO4J_PASSWORD": settings.password or None,
            "NEO4J_DATABASE": settings.database}


def _password_args(settings) -> list[str]:
    # An empty NEO4J_PASSWORD counts as unset (click); the test server's password is empty.
    return [] if settings.password else ["--neo4j-password", ""]


# -- Python examples run ------------------------------------------------------------------------------------


def _pycon_pages():
    return [p for p in FILES if any(body.lstrip().startswith(">>>") for _, _, body in _blocks(p))]


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_python_examples_are_sessions(path):
    bad = [f"{_rel(path)}:{line}" for lang, line, body in _blocks(path)
           if lang in ("python", "py", "pycon") and not body.lstrip().startswith(">>>")]
    assert not bad, (f"Python blocks at {', '.join(bad)} are not >>> sessions; write them as ```pycon sessions "
                     "so that they run as doctests")


@pytest.mark.parametrize("path", _pycon_pages(), ids=_rel)
def test_python_examples_run(path, monkeypatch, request):
    text = path.read_text(encoding="utf-8")
    if "Neo4jSettings" in text:
        settings = request.getfixturevalue("docs_neo4j")
        for k, v in _neo4j_env(settings).items():
            if v is None:
                monkeypatch.delenv(k, raising=False)
            else:
                monkeypatch.setenv(k, v)
    monkeypatch.chdir(ROOT)
    # Keep only the >>> blocks, line for line, so that doctest reports the page's own line numbers.
    lines = [""] * (text.count("\n") + 1)
    for _, first, body in _blocks(path):
        if body.lstrip().startswith(">>>"):
            for k, line in enumerate(body.splitlines()):
                lines[first - 1 + k] = line
    test = doctest.DocTestParser().get_doctest("\n".join(lines), {}, _rel(path), str(path), 0)
    out: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=out.append, clear_globs=True)
    assert runner.failures == 0, "".join(out)


# -- every documented name imports --------------------------------------------------------------------------


def _documented_names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        plain = re.sub(r"^(\s*)(?:>>>|\.\.\.) ?", r"\1", text, flags=re.M)
        found = set(re.findall(r"(?<![\w.])netmap(?:\.[A-Za-z_]\w*)+", text))
        for module, what in re.findall(r"\bfrom\s+(netmap(?:\.\w+)*)\s+import\s+(\([^)]*\)|[^\n`]+)", plain):
            for part in what.strip("()").replace("\n", " ").split(","):
                name = part.split("#")[0].split(" as ")[0].strip()
                if name and name != "*":
                    found.add(f"{module}.{name}")
        for module in re.findall(r"^\s*import\s+(netmap(?:\.\w+)*)", plain, flags=re.M):
            found.add(module)
        for name in found:
            if not re.search(r"\.(md|csv|xlsx|html|json|py|cypher)$", name):
                names.setdefault(name, []).append(_rel(path))
    return names


DOCUMENTED = _documented_names()


def _resolve(dotted: str):
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        module = ".".join(parts[:i])
        try:
            obj = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name and module.startswith(e.name) and e.name.startswith("netmap"):
                continue  # not a module: an attribute of a shorter prefix
            raise
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_documented_name_imports(name):
    try:
        _resolve(name)
    except (ImportError, AttributeError) as e:
        pytest.fail(f"`{name}` is documented in {', '.join(sorted(set(DOCUMENTED[name])))} but does not import: {e}")
    parts = name.split(".")
    if len(parts) == 2 and not parts[1].startswith("__") and not _is_module(name):
        assert parts[1] in netmap.__all__, f"`{name}` is documented but not in netmap.__all__"


def test_every_exported_name_is_on_the_python_api_page():
    page = (DOCS / "python-api.md").read_text(encoding="utf-8")
    missing = [n for n in netmap.__all__ if f"netmap.{n}" not in page]
    assert not missing, f"docs/python-api.md does not mention {', '.join('netmap.' + n for n in missing)}"


def _is_module(dotted: str) -> bool:
    try:
        importlib.import_module(dotted)
    except ImportError:
        return False
    return True


# -- helpers ----------------------------------------------------------------------------------------------


def _outside_code(text: str) -> str:
    text = FENCE.sub("", text)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors of the page's headings."""
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#+\s+(.+?)\s*$", FENCE.sub("", path.read_text(encoding="utf-8")), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out
