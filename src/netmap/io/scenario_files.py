"""Reading the side files of the scenario and geography analyses: a scenarios file and a country-risk file.

Both are CSV (UTF-8, with or without BOM), read like the data's own files:
every problem with file, row and column, all at once, and nothing half-loaded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import DataError, Problem, ValidationError
from ..schema import ROLES
from .csvfile import read_csv_table

__all__ = ["SCENARIO_COLUMNS", "read_scenarios", "read_country_risk"]

#: Columns of a scenarios file: ``name`` (required) and the selectors (each a ``;``-list).
SCENARIO_COLUMNS = ("name", "remove", "country", "region", "role", "capability", "category", "industry")


def _table(path):
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: no such file; give a CSV file")
    t = read_csv_table(p)
    if t.frame is None:
        raise ValidationError(t.problems, str(p))
    df = t.frame.copy()
    df.columns = [str(c).strip().lower() for c in df.columns]
    return t, df


def read_scenarios(path, known_ids=None) -> list[dict]:
    """The scenarios of a CSV file, one per row: a ``name`` and one or more selector columns.

    Returns one dict per row: ``name`` and each selector as a list of values
    (cells hold one value or several separated by ``;``; see
    :mod:`netmap.analysis.selectors`). ``known_ids`` (optional) checks the
    ids of ``remove``. Raises :class:`~netmap.errors.ValidationError` listing
    every problem with file, row and column.
    """
    t, df = _table(path)
    problems: list[Problem] = []
    label = t.label
    unknown = [c for c in df.columns if c not in SCENARIO_COLUMNS]
    for c in unknown:
        problems.append(Problem(label, 1, c, f"unknown column '{c}'; use {', '.join(SCENARIO_COLUMNS)}"))
    if "name" not in df.columns:
        problems.append(Problem(label, 1, "name", "required column 'name' is missing"))
    if not [c for c in df.columns if c in SCENARIO_COLUMNS[1:]]:
        problems.append(Problem(label, 1, None, "no selector column; give one or more of "
                                + ", ".join(SCENARIO_COLUMNS[1:])))
    if problems:
        raise ValidationError(problems, str(path))
    if len(df) == 0:
        raise ValidationError([Problem(label, None, None, "the file has a header but no scenarios")], str(path))
    known = None if known_ids is None else set(map(str, known_ids))
    roles = set(ROLES)
    seen: dict[str, int] = {}
    out = []
    for i, rec in enumerate(df.to_dict("records")):
        row = int(t.rows[i])
        name = rec.get("name", "")
        if not name:
            problems.append(Problem(label, row, "name", "name is empty; every scenario needs a name"))
        elif name in seen:
            problems.append(Problem(label, row, "name", f"scenario '{name}' is already on row {seen[name]}"))
        else:
            seen[name] = row
        sel = {c: [v.strip() for v in str(rec.get(c, "") or "").split(";") if v.strip()]
               for c in SCENARIO_COLUMNS[1:]}
        if not any(sel.values()):
            problems.append(Problem(label, row, None, "no selector is filled in; give one or more of "
                                    + ", ".join(SCENARIO_COLUMNS[1:])))
        for r in sel["role"]:
            if r.lower() not in roles:
                problems.append(Problem(label, row, "role", f"unknown role '{r}'; use {', '.join(ROLES)}"))
        if known is not None:
            for oid in sel["remove"]:
                if oid not in known:
                    problems.append(Problem(label, row, "remove", f"'{oid}' is not an organisation id"))
        if not problems:
            sel["role"] = [r.lower() for r in sel["role"]]
            out.append({"name": name, **sel})
    if problems:
        raise ValidationError(problems, str(path))
    return out


def read_country_risk(path) -> dict[str, float]:
    """``{country code: risk}`` from a CSV file with columns ``country`` and ``risk`` (0-1).

    ``country`` is an ISO 3166 alpha-2 or alpha-3 code or an English name;
    a country that names none, a risk outside 0-1 and a country listed twice
    are errors with file, row and column.
    """
    from ..countries import country_code

    t, df = _table(path)
    label = t.label
    problems = [Problem(label, 1, c, f"required column '{c}' is missing") for c in ("country", "risk")
                if c not in df.columns]
    if problems:
        raise ValidationError(problems, str(path))
    out: dict[str, float] = {}
    first: dict[str, int] = {}
    for i, (c, r) in enumerate(zip(df["country"].tolist(), df["risk"].tolist())):
        row = int(t.rows[i])
        code = country_code(c)
        if code is None:
            problems.append(Problem(label, row, "country", f"'{c}' is not an ISO 3166 country code or English "
                                    "country name"))
        try:
            v = float(r)
        except ValueError:
            v = np.nan
        if not np.isfinite(v):
            problems.append(Problem(label, row, "risk", f"'{r}' is not a number"))
        elif not 0 <= v <= 1:
            problems.append(Problem(label, row, "risk", f"{r} is out of range; it must be between 0 and 1"))
        if code is not None and code in first:
            problems.append(Problem(label, row, "country", f"country '{c}' is already on row {first[code]}"))
        elif code is not None:
            first[code] = row
            out[code] = v
    if problems:
        raise ValidationError(problems, str(path))
    return out
