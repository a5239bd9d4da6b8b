"""Hostile organisation data for the escaping and formula-injection tests, shared by every test file."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"
XSS_SVG = '"><svg onload=alert(2)>'
FORMULA = '=HYPERLINK("http://evil","x")'
BIDI = "Acme \u202eexe.gpj\u202c Ltd"


def make_hostile(folder: Path) -> Path:
    """Rewrite the tiny network in ``folder`` with hostile names, a country and capabilities.

    S1 is named XSS_IMG, T1 XSS_SCRIPT, S2 FORMULA and C2 BIDI; D1's country is
    XSS_SVG; S3 and R1 get capabilities written as HTML.
    """
    orgs = folder / "organizations.csv"
    df = pd.read_csv(orgs, dtype=str, keep_default_na=False)
    df.loc[df["id"] == "S1", "name"] = XSS_IMG
    df.loc[df["id"] == "T1", "name"] = XSS_SCRIPT
    df.loc[df["id"] == "S2", "name"] = FORMULA
    df.loc[df["id"] == "C2", "name"] = BIDI
    df.loc[df["id"] == "D1", "country"] = XSS_SVG
    df.loc[df["id"] == "S3", "capabilities"] = "chips;<b>bold</b>"
    df.loc[df["id"] == "R1", "capabilities"] = "<i>AI</i>;materials science"
    df.to_csv(orgs, index=False)
    return folder


# ----------------------------------------------------------- every field
#: Placeholders of netmap's templates and of other template engines: shown as text, never expanded.
PLACEHOLDERS = "{{TITLE}} {{DATA}} %TITLE% ${x} {0} {% raw %}"
#: A terminal escape sequence: set the window title, clear the screen, switch to red. The data refuse
#: control characters (a listed problem), but paths and ids typed on the command line can carry them.
ESCAPE = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"
#: What a terminal must never receive raw: C0 (but line breaks) and C1 controls, DEL, bidi controls.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: A 5,000-character name with no place to break a line.
LONG_NAME = "Megacorp" + "o" * 4988 + " Ltd"
#: Formula starts a spreadsheet runs: =, +, -, @ (tab and carriage return are control characters).
FORMULAS = ('=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)")

#: New ids of the tiny network's organisations: markup, formulas, placeholders, a bidi control and
#: the names JavaScript objects already hold (``__proto__``, ``constructor``).
HOSTILE_IDS = {
    "S1": '=cmd|"/C calc"!A0',
    "T1": "</script><b>T1",
    "S3": "{{TITLE}}${x}%TITLE%",
    "D2": "__proto__",
    "C2": "+C2",
    "R1": "R\u202e1",
    "C1": "constructor",
    "D1": "@D1",
}
#: New names: the focal organisation gets the over-long name.
HOSTILE_NAMES = {
    "F1": LONG_NAME,
    "S1": XSS_IMG,
    "T1": XSS_SCRIPT,
    "S2": FORMULA,
    "S3": PLACEHOLDERS,
    "D1": "constructor",
    "D2": "-1+1 AsiaChannel",
    "C2": BIDI,
    "R1": '"><svg onload=alert(3)>',
}
#: Tie categories by (source, target) of the tiny network.
HOSTILE_CATEGORIES = {
    ("S1", "F1"): "<b>steel</b>",
    ("S2", "F1"): "<b>steel</b>",
    ("S3", "F1"): "=chips()",
    ("T1", "S1"): "{{DATA}}",
    ("T1", "S2"): "{{DATA}}",
    ("F1", "D1"): "@widgets",
    ("F1", "D2"): "@widgets",
    ("F1", "R1"): "R\u202e&D",
    ("D1", "C1"): "</script>",
}
#: Per organisation: column -> value (lists separated by ';').
HOSTILE_FIELDS = {
    "F1": {"industry": "<iframe src=javascript:alert(4)>", "markets": "DE;=DE", "region": "${x}"},
    "S1": {"industry": "+Metals", "country": "__proto__"},
    "S2": {"industry": "{{TITLE}}", "capabilities": "steel;@alloys", "country": "constructor"},
    "S3": {"capabilities": "chips;<b>bold</b>", "country": '"><svg onload=alert(2)>'},
    "T1": {"capabilities": "=ore", "region": "%TITLE%"},
    "D1": {"markets": "DE;FR;<svg onload=alert(5)>", "industry": "-Wholesale"},
    "D2": {"markets": "{{TITLE}};JP\u202e", "country": "JP\u202e"},
    "R1": {"capabilities": "<i>AI</i>;materials science;" + "c" * 300},
    "C2": {"markets": "+JP", "industry": "Retail\u202e"},
}
#: What every field above holds in a form that must not be active in an HTML page.
HTML_PROBES = (XSS_IMG, "<script>alert(1)", "<svg onload", "<b>steel</b>", "<i>AI</i>", "<iframe", "<b>T1",
               "<b>bold</b>")


def make_hostile_everywhere(folder: Path) -> Path:
    """Rewrite the tiny network in ``folder`` with hostile values in every field a page or file shows.

    Ids (:data:`HOSTILE_IDS`, relationships rewritten to match), names
    (:data:`HOSTILE_NAMES`; the focal organisation F1 gets the 5,000-character
    :data:`LONG_NAME`), tie categories, markets, capabilities, industry,
    country and region (:data:`HOSTILE_FIELDS`, :data:`HOSTILE_CATEGORIES`):
    markup, formulas, template placeholders, bidi controls and the names
    JavaScript objects hold. No control character: the data refuse those.
    """
    orgs = folder / "organizations.csv"
    rels = folder / "relationships.csv"
    df = pd.read_csv(orgs, dtype=str, keep_default_na=False)
    ties = pd.read_csv(rels, dtype=str, keep_default_na=False)
    for oid, fields in HOSTILE_FIELDS.items():
        for col, value in fields.items():
            df.loc[df["id"] == oid, col] = value
    for oid, name in HOSTILE_NAMES.items():
        df.loc[df["id"] == oid, "name"] = name
    for (s, t), cat in HOSTILE_CATEGORIES.items():
        ties.loc[(ties["source"] == s) & (ties["target"] == t), "category"] = cat
    df["id"] = df["id"].replace(HOSTILE_IDS)
    ties["source"] = ties["source"].replace(HOSTILE_IDS)
    ties["target"] = ties["target"].replace(HOSTILE_IDS)
    df.to_csv(orgs, index=False)
    ties.to_csv(rels, index=False)
    return folder


def hostile_path(parent: Path) -> Path:
    """A directory under ``parent`` whose name holds markup, placeholders, a bidi control and :data:`ESCAPE`."""
    return parent / f"data <svg onload=alert(9)> {{{{TITLE}}}} ${{x}} \u202eatad {ESCAPE}end"


def hostile_copy(tiny: Path, parent: Path) -> Path:
    """A copy of the tiny network at :func:`hostile_path` under ``parent``, rewritten by :func:`make_hostile_everywhere`."""
    import shutil

    return make_hostile_everywhere(Path(shutil.copytree(tiny, hostile_path(parent))))
