"""Snapshots of a network over time: reading a history, and the public :func:`compare` and :func:`trend`.

A history is several data directories (or ``.xlsx`` workbooks) of the same
network at different dates. A directory whose entries are named by date holds
a history, oldest first: ``2024/`` (read on 2024-12-31), ``2024-06/`` (on
the last day of the month) or ``2024-06-30/``; other entries are ignored.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import ArgumentError, DataError, Problem, ValidationError
from .network import Network
from .result import Result
from .view import FocalView

__all__ = ["compare", "trend", "snapshot_date", "history_paths", "read_snapshot"]

_NAME = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def snapshot_date(name: str) -> _dt.date | None:
    """The date a snapshot's name stands for: ``YYYY`` -> 31 December, ``YYYY-MM`` -> the month's last day.

    ``None`` when the name (without an ``.xlsx`` suffix) is not such a date.

    >>> snapshot_date("2024"), snapshot_date("2024-02"), snapshot_date("2024-06-30.xlsx"), snapshot_date("data")
    (datetime.date(2024, 12, 31), datetime.date(2024, 2, 29), datetime.date(2024, 6, 30), None)
    """
    stem = name[:-5] if name.lower().endswith(".xlsx") else name
    m = _NAME.match(stem)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return _dt.date(year, 12, 31)
        if day is None:
            return _dt.date(year, int(month), calendar.monthrange(year, int(month))[1])
        return _dt.date(year, int(month), int(day))
    except ValueError:
        return None


def history_paths(path: str | Path) -> list[Path]:
    """The snapshots in a history directory, oldest first (entries named by date; see the module docstring)."""
    folder = Path(path)
    if not folder.is_dir():
        raise DataError(f"{folder} is not a directory; give a directory of dated snapshots, or the snapshots "
                        "themselves")
    found = [(snapshot_date(p.name), p) for p in folder.iterdir()
             if p.is_dir() or p.suffix.lower() == ".xlsx"]
    dated = sorted((d, p.name, p) for d, p in found if d is not None)
    if not dated:
        raise DataError(f"{folder} holds no snapshot named by date; name each one YYYY, YYYY-MM or YYYY-MM-DD "
                        "(a directory or an .xlsx workbook)")
    return [p for _, _, p in dated]


def read_snapshot(path: str | Path, label: str | None = None, **options) -> Network:
    """Read one snapshot; its problems name the snapshot (``label``, by default its path).

    ``options`` are those of :func:`netmap.read_network`.
    """
    from .io.reader import read_network

    try:
        return read_network(path, **options)
    except ValidationError as e:
        tag = label or str(path)
        problems = [Problem(f"{p.file} (snapshot {tag})", p.row, p.column, p.message) for p in e.problems]
        raise ValidationError(problems, e.source) from None


def _as_network(x, label: str, options) -> Network | FocalView:
    if isinstance(x, (Network, FocalView)):
        return x
    return read_snapshot(x, f"{label}, {x}" if label in ("before", "after") else label, **options)


def _date_of(x) -> _dt.date | None:
    source = x.full.source if isinstance(x, FocalView) else x.source if isinstance(x, Network) else str(x)
    return snapshot_date(Path(source).name) if source else None


def compare(
    before,
    after=None,
    *,
    focal: str | None = None,
    before_as_of=None,
    after_as_of=None,
    drop: float = 0.2,
    k: int = 20,
    top: int = 10,
    seed: int = 0,
    sections=None,
    strength_weights: Mapping[str, float] | None = None,
    default_strength: float = 0.5,
) -> Result:
    """What changed between two snapshots (or one data set on two dates).

    Parameters
    ----------
    before, after : Network, FocalView, str or Path
        The earlier and the later snapshot: networks, or data directories /
        workbooks to read. Give one network (``after=None``) with both dates
        to compare it with itself over time.
    before_as_of, after_as_of : date or str, optional
        The date whose active ties count. Default: the date a snapshot's name
        stands for (``2024-06-30/``, ``2024/``: see :func:`snapshot_date`),
        else today.
    focal, drop, k, top, seed, sections
        As in :func:`netmap.analysis.compare.compare_networks`.
    strength_weights, default_strength
        As in :func:`netmap.read_network`, for snapshots given as paths.

    Returns
    -------
    Result
        One table per section; see :func:`~netmap.analysis.compare.compare_networks`.

    Examples
    --------
    >>> import netmap
    >>> r = netmap.compare("sample_data/tiny", before_as_of="2020-06-30", after_as_of="2024-06-30")
    >>> r.table.loc[r.table["item"] == "active ties", ["before", "after"]].values.tolist()
    [[12.0, 13.0]]
    """
    from .analysis.compare import compare_networks

    options = {"strength_weights": strength_weights, "default_strength": default_strength}
    b = _as_network(before, "before", options)
    a = b if after is None else _as_network(after, "after", options)
    if after is None and (before_as_of is None or after_as_of is None):
        raise ArgumentError("comparing one data set with itself needs both dates (before_as_of and after_as_of)",
                            param="after_as_of")
    before_as_of = before_as_of if before_as_of is not None else _date_of(before)
    after_as_of = after_as_of if after_as_of is not None else _date_of(after)
    return compare_networks(b, a, focal=focal, before_as_of=before_as_of, after_as_of=after_as_of, drop=drop, k=k,
                            top=top, seed=seed, sections=sections)


def trend(
    snapshots,
    *,
    focal: str | None = None,
    labels: Sequence[str] | None = None,
    as_of: Sequence | None = None,
    strength_weights: Mapping[str, float] | None = None,
    default_strength: float = 0.5,
) -> Result:
    """One row per snapshot: organisations, ties, value, the focal's partners, concentration and position.

    Parameters
    ----------
    snapshots : str, Path, or sequence of Network / str / Path
        A history directory (entries named by date, oldest first; see
        :func:`history_paths`) or the snapshots in time order.
    focal : str, optional
        The focal organisation (by default the one marked focal, the same in
        every snapshot).
    labels : sequence of str, optional
        A label per snapshot (default: its directory or file name).
    as_of : sequence of dates, optional
        The date whose active ties count in each snapshot (default: the date
        its name stands for, else today).

    Returns
    -------
    Result
        The tables ``trend`` and ``categories`` of
        :func:`netmap.analysis.trend.trend_table`.

    Examples
    --------
    >>> import netmap
    >>> t = netmap.trend("sample_data/history").table
    >>> t["snapshot"].tolist()
    ['2023-06-30', '2024-06-30', '2025-06-30']
    """
    from .analysis.trend import trend_table

    if isinstance(snapshots, (str, Path)):
        snapshots = history_paths(snapshots)
    snapshots = list(snapshots)
    if labels is not None and len(labels) != len(snapshots):
        raise ArgumentError(f"give one label per snapshot ({len(snapshots)}), not {len(labels)}", param="labels")
    if as_of is not None and len(as_of) != len(snapshots):
        raise ArgumentError(f"give one date per snapshot ({len(snapshots)}), not {len(as_of)}", param="as_of")
    options = {"strength_weights": strength_weights, "default_strength": default_strength}
    items = []
    for i, s in enumerate(snapshots):
        label = labels[i] if labels is not None else _label(s, i)
        net = _as_network(s, label, options)
        net = net.full if isinstance(net, FocalView) else net
        day = as_of[i] if as_of is not None else _date_of(s)
        items.append((label, net, day))
    return trend_table(items, focal)


def _label(s, i: int) -> str:
    if isinstance(s, (Network, FocalView)):
        src = s.full.source if isinstance(s, FocalView) else s.source
        return Path(src).name if src else f"snapshot {i + 1}"
    name = Path(s).name
    return name[:-5] if name.lower().endswith(".xlsx") else name
