"""Scenario selectors: which organisations fail, and which ties fail, in a disruption scenario.

A scenario names organisations directly (``remove``) or by what they are:
``country`` (ISO 3166 alpha-2, alpha-3 or English name, matched as a
country whatever way the data writes it), ``region``, ``industry`` (text,
case-insensitive), ``role`` (one of the data contract's roles) or
``capability`` (its holders fail). ``category`` makes the *ties* of that
category fail instead (every tie whose ``category`` matches,
case-insensitively), not the organisations at their ends. Values of one
selector are alternatives; selectors add up (a union). The focal
organisation is never removed: when a selector matches it, the scenario
says so and leaves it in place.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..checks import choices
from ..engine.adjacency import csr
from ..errors import ArgumentError
from ..schema import ROLES
from ..countries import country_code
from .flows import DOWNSTREAM_TYPES, FlowModel

__all__ = ["SELECTORS", "Scenario", "scenario", "select", "AfterFlows", "after_flows", "failed_ties"]

#: Selector names in the order they are shown; each takes one value or a list.
SELECTORS = ("remove", "country", "region", "role", "capability", "category", "industry")


@dataclass(frozen=True)
class Scenario:
    """The selectors of one scenario, each a tuple of values (empty: not used)."""

    remove: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    role: tuple[str, ...] = ()
    capability: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    industry: tuple[str, ...] = ()
    name: str = field(default="", compare=False)

    def is_empty(self) -> bool:
        return not any(getattr(self, s) for s in SELECTORS)

    def describe(self) -> str:
        """The selectors in words, e.g. ``country CN; category chips``."""
        parts = [f"{s} {', '.join(getattr(self, s))}" for s in SELECTORS if getattr(self, s)]
        return "; ".join(parts) or "nothing fails"


def _values(value, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    vals = [value] if isinstance(value, str) else list(value)
    out = []
    for v in vals:
        if not isinstance(v, str):
            raise ArgumentError(f"{name} must be text or a list of texts, not {v!r}", param=name)
        v = v.strip()
        if v:
            out.append(v)
    return tuple(dict.fromkeys(out))


def scenario(remove=None, *, country=None, region=None, role=None, capability=None, category=None,
             industry=None, name: str = "") -> Scenario:
    """A :class:`Scenario` from selector values (each ``None``, a string or a list of strings).

    >>> scenario(country="CN", category=["chips"]).describe()
    'country CN; category chips'
    """
    roles = _values(role, "role")
    if roles:
        roles = tuple(choices(list(roles), "role", ROLES, what="role"))
    return Scenario(_values(remove, "remove"), _values(country, "country"), _values(region, "region"), roles,
                    _values(capability, "capability"), _values(category, "category"),
                    _values(industry, "industry"), name=name)


class _Codes:
    """A text column as integer codes and the case-folded text of each code (built once per model)."""

    def __init__(self, values, fold=lambda x: x.casefold()):
        s = pd.Series(values, dtype=object).fillna("").astype(str).str.strip()
        self.codes, uniques = pd.factorize(s, use_na_sentinel=False)
        self.keys = np.array([fold(u) for u in uniques], dtype=object)

    def matches(self, wanted) -> np.ndarray:
        ok = np.isin(self.keys, list(wanted)) if len(self.keys) else np.zeros(0, dtype=bool)
        return ok[self.codes] if len(self.codes) else np.zeros(0, dtype=bool)


#: Per flow model: the columns the selectors read, coded once (many scenarios share one model).
_CODED: "weakref.WeakKeyDictionary[FlowModel, dict]" = weakref.WeakKeyDictionary()


def _coded(model: FlowModel, key: str):
    cache = _CODED.setdefault(model, {})
    if key not in cache:
        nodes, edges = model.net.nodes, model.net.edges
        if key == "country":
            cache[key] = _Codes(nodes["country"].to_numpy(dtype=object),
                                lambda x: country_code(x) or x.casefold())
        elif key in ("region", "industry"):
            cache[key] = _Codes(nodes[key].to_numpy(dtype=object))
        elif key == "category":
            cache[key] = _Codes(edges["category"].to_numpy(dtype=object))
        elif key == "roles":
            cache[key] = {r: nodes["roles"].map(lambda rs, r=r: r in rs).to_numpy(dtype=bool) for r in ROLES}
    return cache[key]


def select(model: FlowModel, sc: Scenario) -> tuple[list[str], list[str]]:
    """The ids the selectors (other than ``remove``) match, in id order, and notes on what they skip.

    The focal organisation is left out (with a note when a selector matches it).
    """
    hit = np.zeros(model.n, dtype=bool)
    if sc.country:
        hit |= _coded(model, "country").matches({country_code(c) or c.casefold() for c in sc.country})
    for col, vals in (("region", sc.region), ("industry", sc.industry)):
        if vals:
            hit |= _coded(model, col).matches({v.casefold() for v in vals})
    for r in sc.role:
        hit |= _coded(model, "roles")[r]
    if sc.capability and len(model.cap_items):
        want = {v.casefold() for v in sc.capability}
        cols = [j for j, item in enumerate(model.cap_items) if str(item).casefold() in want]
        if cols:
            hit |= np.asarray(model.cap_matrix[:, cols].sum(axis=1)).ravel() > 0
    notes = []
    if hit[model.f]:
        notes.append(f"the focal organisation {model.focal} matches the scenario but is never removed")
        hit[model.f] = False
    pos = np.flatnonzero(hit)
    pos = pos[np.argsort(model.rank[pos])]
    return [str(model.ids[p]) for p in pos], notes


@dataclass
class AfterFlows:
    """The supply, downstream and network flows once the failed ties are gone."""

    sup: tuple
    down: tuple
    und: tuple
    categories: frozenset


def after_flows(model: FlowModel, categories) -> AfterFlows | None:
    """The flows of ``model`` without the ties whose category is one of ``categories`` (case-insensitive)."""
    cats = frozenset(c.casefold() for c in categories)
    if not cats:
        return None
    net = model.net
    e = net.edges
    u, v = net.endpoints()
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    keep = ~_coded(model, "category").matches(cats)
    typ = e["type"].to_numpy()
    uk, vk = u[keep], v[keep]
    und = csr(model.n, np.concatenate([uk, vk]), np.concatenate([vk, uk]))
    dm = keep & np.isin(typ, DOWNSTREAM_TYPES)
    down = csr(model.n, u[dm], v[dm])
    sm = keep & (typ == "SUPPLIES")
    su, sv = u[sm], v[sm]
    up = model.upstream
    ok = up[su] & up[sv]
    sup = csr(model.n, su[ok], sv[ok])
    return AfterFlows(sup, down, und, cats)


def failed_ties(model: FlowModel, categories) -> int:
    """How many ties (active on the model's date) have one of ``categories`` (case-insensitive)."""
    cats = {c.casefold() for c in categories}
    return int(_coded(model, "category").matches(cats).sum()) if cats else 0
