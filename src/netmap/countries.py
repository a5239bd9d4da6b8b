"""Countries as ISO 3166 codes: the ``country`` column read as alpha-2, alpha-3 or an English name.

The data contract keeps ``country`` free text; the geographic analyses read
it through :func:`country_code`, which accepts ``DE``, ``DEU`` and
``Germany`` alike (case-insensitive, looked up in ``pycountry``'s copy of
ISO 3166). A value that names no country is not an error: the analyses keep
it as written and :func:`country_warnings` lists it, with file, row and column.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .network import Network

__all__ = ["country_code", "country_codes", "country_name", "country_warnings", "numeric_to_alpha2"]


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """The ISO 3166 alpha-2 code of ``text`` (an alpha-2 or alpha-3 code or an English name); ``None`` if none.

    >>> country_code("de"), country_code("CHN"), country_code("United States"), country_code("Narnia")
    ('DE', 'CN', 'US', None)
    """
    import pycountry

    t = str(text or "").strip()
    if not t:
        return None
    try:
        return pycountry.countries.lookup(t).alpha_2
    except LookupError:
        pass
    if t.upper() in _COMMON:
        return _COMMON[t.upper()]
    return None


#: Short forms that people write and ISO 3166 does not list.
_COMMON = {"UK": "GB", "USA": "US", "RUSSIA": "RU", "SOUTH KOREA": "KR", "NORTH KOREA": "KP",
           "TAIWAN": "TW", "VIETNAM": "VN", "IRAN": "IR", "SYRIA": "SY", "LAOS": "LA", "BOLIVIA": "BO",
           "VENEZUELA": "VE", "TANZANIA": "TZ", "MOLDOVA": "MD", "CZECHIA": "CZ", "KOSOVO": "XK"}


@lru_cache(maxsize=1024)
def country_name(code: str) -> str:
    """The English short name of an alpha-2 code (the code itself if unknown).

    >>> country_name("DE")
    'Germany'
    """
    import pycountry

    if code == "XK":
        return "Kosovo"
    c = pycountry.countries.get(alpha_2=code) if code else None
    return getattr(c, "common_name", None) or getattr(c, "name", None) or code


def numeric_to_alpha2(numeric: str) -> str | None:
    """The alpha-2 code of an ISO 3166 numeric code (``"276"`` -> ``"DE"``), ``None`` if unknown."""
    import pycountry

    c = pycountry.countries.get(numeric=str(numeric).zfill(3)) if numeric else None
    return c.alpha_2 if c is not None else None


def country_codes(values) -> np.ndarray:
    """Per value: its alpha-2 code, or the text as written (stripped) when it names no country; ``""`` when empty.

    >>> country_codes(["Germany", "deu", "", "Narnia"]).tolist()
    ['DE', 'DE', '', 'Narnia']
    """
    s = pd.Series(values, dtype=object).fillna("").astype(str).str.strip()
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    mapped = np.array([country_code(u) or u for u in uniques], dtype=object)
    return mapped[codes] if len(s) else np.array([], dtype=object)


def country_warnings(network: Network, label: str = "organizations") -> list[str]:
    """One warning per organisation whose ``country`` names no ISO 3166 country: file, row and column.

    Rows are numbered as a spreadsheet shows them (the header is row 1).

    >>> from netmap import read_network
    >>> country_warnings(read_network("sample_data/tiny"))
    []
    """
    nodes = network.nodes
    if "country" not in nodes.columns:
        return []
    out = []
    for i, (oid, c) in enumerate(zip(nodes["id"].tolist(), nodes["country"].tolist())):
        c = "" if c is None or (isinstance(c, float) and np.isnan(c)) else str(c).strip()
        if c and country_code(c) is None:
            out.append(f"{label} row {i + 2}, column country: '{c}' (organisation {oid}) is not an ISO 3166 "
                       "country code or English country name; it is kept as written and drawn on no map")
    return out
