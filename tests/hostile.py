"""Hostile organisation data for the escaping and formula-injection tests, shared by every test file."""

from __future__ import annotations

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
