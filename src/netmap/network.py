"""The one in-memory model of a business network.

A :class:`Network` holds two validated tables -- ``nodes`` (one row per
organisation) and ``edges`` (one row per tie, as listed in the input) -- and
builds graph views from them on demand. Every store reads into it, every
analysis takes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

import numpy as np
import pandas as pd

from .dates import to_timestamp
from .errors import ArgumentError, NodeNotFound
from .schema import (
    DATE_COLUMNS,
    DEFAULT_STRENGTH,
    EDGE_TABLE_COLUMNS,
    LIST_COLUMNS,
    NODE_NUMBER_COLUMNS,
    NODE_TABLE_COLUMNS,
    NODE_TEXT_COLUMNS,
    QUALITIES,
    ROLES,
    SYMMETRIC_TYPES,
    TIE_TYPES,
)

__all__ = ["Network", "relationship_strength", "normalize_strength_weights"]


def normalize_strength_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Return a complete ``{quality: weight}`` mapping; equal weights by default.

    Raises :class:`NetmapError` for an unknown quality or a negative weight.
    """
    out = {q: 1.0 for q in QUALITIES}
    if not weights:
        return out
    for key, w in weights.items():
        if key not in out:
            raise ArgumentError(
                f"unknown relationship quality '{key}' in strength weights; "
                f"use {', '.join(QUALITIES)}", param="strength_weights"
            )
        w = float(w)
        if not np.isfinite(w) or w < 0:
            raise ArgumentError(f"the weight of '{key}' must be a number >= 0, not {w}", param="strength_weights")
        out[key] = w
    if sum(out.values()) <= 0:
        raise ArgumentError("at least one strength weight must be greater than 0", param="strength_weights")
    return out


def relationship_strength(
    edges: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    default: float = DEFAULT_STRENGTH,
) -> pd.Series:
    """Derived strength of each tie, in [0, 1].

    The weighted mean of the qualities (``trust``, ``communication``,
    ``commitment``, ``mutual_benefit``) that are present on the tie; a tie
    with none of them (or only qualities of weight 0) gets ``default``.

    Examples
    --------
    >>> df = pd.DataFrame({"trust": [1.0, None], "communication": [0.5, None]})
    >>> relationship_strength(df).tolist()
    [0.75, 0.5]
    >>> relationship_strength(df, {"trust": 3}).tolist()
    [0.875, 0.5]
    """
    if not 0.0 <= float(default) <= 1.0:
        raise ArgumentError(f"the default strength must be between 0 and 1, not {default}", param="default_strength")
    w = normalize_strength_weights(weights)
    num = np.zeros(len(edges))
    den = np.zeros(len(edges))
    for q in QUALITIES:
        if q not in edges.columns or w[q] == 0:
            continue
        vals = pd.to_numeric(edges[q], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(vals)
        num[present] += w[q] * vals[present]
        den[present] += w[q]
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(den > 0, num / np.where(den > 0, den, 1.0), float(default))
    return pd.Series(s, index=edges.index, name="strength")


class Network:
    """A validated business network.

    Parameters
    ----------
    nodes : DataFrame
        One row per organisation with the columns of the data contract;
        ``roles``, ``capabilities`` and ``markets`` hold tuples of strings,
        ``focal`` booleans, numbers are floats (NaN where absent).
    edges : DataFrame
        One row per tie as listed in the input. Symmetric tie types
        (``COLLABORATES_WITH``, ``PARTNERS_WITH``) appear once and are read
        both ways by the graph views. ``strength`` is derived from the
        qualities when missing; ``row`` is the input row (for explanations).
    source : str
        Where the network came from (shown in reports).
    strength_weights, default_strength
        How ``strength`` was (or is to be) derived; see
        :func:`relationship_strength`.
    endpoints : pair of integer arrays, optional
        The position in ``nodes`` of each tie's source and target, when the
        caller has them already (the reader finds them while checking the
        ids); otherwise :meth:`endpoints` looks them up when first asked.

    Notes
    -----
    Use :func:`netmap.read_network` to read a data directory; the constructor
    trusts its input (it does not re-validate).
    """

    def __init__(
        self,
        nodes: pd.DataFrame,
        edges: pd.DataFrame,
        *,
        source: str = "",
        strength_weights: Mapping[str, float] | None = None,
        default_strength: float = DEFAULT_STRENGTH,
        endpoints: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.strength_weights = normalize_strength_weights(strength_weights)
        self.default_strength = float(default_strength)
        self.source = source
        self.nodes = _complete_nodes(nodes)
        edges = _complete_edges(edges)
        if edges["strength"].isna().any() or strength_weights is not None:
            edges["strength"] = relationship_strength(edges, self.strength_weights, self.default_strength)
        self.edges = edges
        if endpoints is not None:
            uv = tuple(np.array(a, dtype=np.int64) for a in endpoints)
            if any(len(a) != len(edges) for a in uv) or any(len(a) and (a.min() < 0 or a.max() >= len(self.nodes))
                                                            for a in uv):
                raise ArgumentError("endpoints must give a node position for every tie", param="endpoints")
            for a in uv:
                a.flags.writeable = False
            self.__dict__["_cache"] = {"uv": uv}

    # ------------------------------------------------------------------ basics
    def __repr__(self) -> str:
        return f"<Network {len(self.nodes)} organisations, {len(self.edges)} ties{' from ' + self.source if self.source else ''}>"

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return len(self.edges)

    @cached_property
    def ids(self) -> list[str]:
        """Organisation ids in input order."""
        return self.nodes["id"].tolist()

    @cached_property
    def index(self) -> dict[str, int]:
        """``{id: position}`` of each organisation in :attr:`nodes`."""
        return dict(zip(self.ids, range(len(self.ids))))

    def __contains__(self, org_id: object) -> bool:
        return org_id in self.index

    def check_ids(self, ids: Iterable[str], what: str = "organisation", param: str | None = None) -> list[str]:
        """Return ``ids`` as a list, raising :class:`NodeNotFound` for unknown ones.

        ``what`` names them in the message ("focal organisation"); ``param``
        names the parameter they came from.
        """
        ids = [ids] if isinstance(ids, str) else list(ids)
        missing = [i for i in ids if i not in self.index]
        if missing:
            shown = ", ".join(f"'{m}'" for m in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise NodeNotFound(
                f"{what} {shown}{more} not found in the network; ids are case-sensitive "
                f"(see the id column of organizations)", param=param
            )
        return ids

    def node(self, org_id: str) -> dict:
        """All attributes of one organisation as a dict."""
        self.check_ids([org_id])
        return self.nodes.iloc[self.index[org_id]].to_dict()

    def name(self, org_id: str) -> str:
        return self.names.get(org_id, org_id)

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(self.nodes["id"].tolist(), self.nodes["name"].tolist()))

    @cached_property
    def focal_ids(self) -> list[str]:
        """Ids of the organisations marked ``focal`` ("us"), in input order."""
        return self.nodes.loc[self.nodes["focal"].astype(bool), "id"].tolist()

    def resolve_focal(self, focal: str | None = None) -> str:
        """The focal organisation to analyse: ``focal`` if given, else the one marked focal.

        Raises :class:`NetmapError` when none is given and the data marks none
        or several.
        """
        if focal is not None:
            self.check_ids([focal], "focal organisation", param="focal")
            return focal
        f = self.focal_ids
        if len(f) == 1:
            return f[0]
        if not f:
            raise ArgumentError(
                "no focal organisation: none is given and no row of organizations has focal=true; "
                "name one, or mark one row focal", param="focal"
            )
        raise ArgumentError(
            f"{len(f)} organisations are marked focal ({', '.join(f[:5])}); name the one to analyse",
            param="focal",
        )

    # ------------------------------------------------------------ attributes
    def with_role(self, role: str) -> list[str]:
        """Ids of organisations that have ``role``."""
        if role not in ROLES:
            raise ArgumentError(f"unknown role '{role}'; use one of {', '.join(ROLES)}", param="role")
        mask = self.nodes["roles"].map(lambda rs: role in rs)
        return self.nodes.loc[mask, "id"].tolist()

    @cached_property
    def capabilities(self) -> list[str]:
        """Every capability present, sorted."""
        return sorted({c for cs in self.nodes["capabilities"] for c in cs})

    @cached_property
    def markets(self) -> list[str]:
        """Every market present, sorted."""
        return sorted({m for ms in self.nodes["markets"] for m in ms})

    def holders(self, capability: str | None = None, market: str | None = None) -> list[str]:
        """Ids of organisations holding a capability and/or serving a market.

        Matching is case-insensitive; raises :class:`NetmapError` when no
        organisation has it, listing close names.
        """
        mask = np.ones(len(self.nodes), dtype=bool)
        for col, want in (("capabilities", capability), ("markets", market)):
            if want is None:
                continue
            w = want.strip().casefold()
            m = self.nodes[col].map(lambda xs: any(x.casefold() == w for x in xs)).to_numpy(dtype=bool)
            if not m.any():
                known = self.capabilities if col == "capabilities" else self.markets
                hint = _close(want, known)
                raise ArgumentError(
                    f"no organisation lists {col[:-1] if col == 'markets' else 'capability'} '{want}'"
                    + (f"; did you mean {hint}?" if hint else f"; known: {', '.join(known[:10])}"),
                    param="capability" if col == "capabilities" else "market",
                )
            mask &= m
        return self.nodes.loc[mask, "id"].tolist()

    # ------------------------------------------------------------- filtering
    def active(self, as_of=None) -> "Network":
        """The network of ties active on ``as_of`` (default: today).

        A tie is active on a date when ``since`` (if given) is on or before it
        and ``until`` (if given) is on or after it. Organisations are kept.
        """
        day = to_timestamp(as_of)
        e = self.edges
        keep = (e["since"].isna() | (e["since"] <= day)) & (e["until"].isna() | (e["until"] >= day))
        if bool(keep.all()):
            return self
        keep = keep.to_numpy()
        net = self._derive(self.nodes, e[keep])
        # the organisations are the same: what is known about them (and where each kept tie ends) carries over
        for name in _NODE_CACHES:
            if name in self.__dict__:
                net.__dict__[name] = self.__dict__[name]
        uv = self.__dict__.get("_cache", {}).get("uv")
        if uv is not None:
            kept = tuple(a[keep] for a in uv)
            for a in kept:
                a.flags.writeable = False
            net.__dict__["_cache"] = {"uv": kept}
        return net

    def subnetwork(self, ids: Iterable[str]) -> "Network":
        """The network induced by ``ids`` (organisations and the ties among them)."""
        keep = set(self.check_ids(ids))
        nodes = self.nodes[self.nodes["id"].isin(keep)]
        e = self.edges
        edges = e[e["source"].isin(keep) & e["target"].isin(keep)]
        return self._derive(nodes, edges)

    def without(self, ids: Iterable[str]) -> "Network":
        """The network with organisations ``ids`` and their ties removed."""
        drop = set(self.check_ids(ids))
        return self.subnetwork([i for i in self.ids if i not in drop])

    def _derive(self, nodes: pd.DataFrame, edges: pd.DataFrame) -> "Network":
        net = Network.__new__(Network)
        net.strength_weights = dict(self.strength_weights)
        net.default_strength = self.default_strength
        net.source = self.source
        net.nodes = nodes.reset_index(drop=True)
        net.edges = edges.reset_index(drop=True)
        return net

    # ----------------------------------------------------------- graph views
    def endpoints(self) -> tuple[np.ndarray, np.ndarray]:
        """Integer positions (in :attr:`nodes`) of every tie's source and target, in edge order.

        Computed once and cached; do not modify the arrays.
        """
        cache = self.__dict__.setdefault("_cache", {})
        if "uv" not in cache:
            uv = (_positions(self.edges["source"], self.nodes["id"]),
                  _positions(self.edges["target"], self.nodes["id"]))
            for a in uv:
                a.flags.writeable = False
            cache["uv"] = uv
        return cache["uv"]

    def arcs(self) -> pd.DataFrame:
        """Every tie as directed arcs: symmetric ties appear in both directions.

        Columns: ``u``, ``v`` (integer positions in :attr:`nodes`), ``source``,
        ``target``, ``type``, ``value``, ``strength``, ``category``, ``edge``
        (position of the tie in :attr:`edges`), ``reverse`` (True for the
        second reading of a symmetric tie). Computed once and cached; the
        frame returned is a shallow copy, so adding columns to it is safe.
        """
        cache = self.__dict__.setdefault("_cache", {})
        if "arcs" not in cache:
            e = self.edges
            u, v = self.endpoints()
            sym = np.flatnonzero(e["symmetric"].to_numpy(dtype=bool))
            fwd = np.arange(len(e))
            take = np.concatenate([fwd, sym])
            rev = np.zeros(len(take), dtype=bool)
            rev[len(e):] = True
            uu = np.concatenate([u, v[sym]])
            vv = np.concatenate([v, u[sym]])
            def both(a: str, b: str) -> pd.Series:
                return pd.concat([e[a], e[b].iloc[sym]], ignore_index=True)

            def taken(col: str) -> pd.Series:
                return pd.concat([e[col], e[col].iloc[sym]], ignore_index=True)

            cache["arcs"] = pd.DataFrame(
                {
                    "u": uu, "v": vv,
                    "source": both("source", "target"),
                    "target": both("target", "source"),
                    "type": taken("type"),
                    "value": e["value"].to_numpy(dtype=float)[take],
                    "strength": e["strength"].to_numpy(dtype=float)[take],
                    "category": taken("category"),
                    "edge": take, "reverse": rev,
                }
            )
        return cache["arcs"].copy(deep=False)

    def pairs(self, directed: bool = True) -> pd.DataFrame:
        """Ties aggregated per ordered (directed) or unordered pair.

        Parallel ties between the same two organisations (several tie types or
        categories) become one pair with ``value`` summed (missing counted as
        0), ``strength`` the maximum (the best channel), ``ties`` the count and
        ``types`` the sorted ``;``-joined tie types. Unordered pairs have
        ``u < v``. Rows are sorted by ``u`` then ``v``. Cached; the frame
        returned is a shallow copy.
        """
        key = f"pairs{int(bool(directed))}"
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            cache[key] = self._aggregate_pairs(directed)
        return cache[key].copy(deep=False)

    def _aggregate_pairs(self, directed: bool) -> pd.DataFrame:
        e = self.edges
        u, v = self.endpoints()
        value = np.nan_to_num(e["value"].to_numpy(dtype=float), nan=0.0)
        strength = e["strength"].to_numpy(dtype=float)
        code = _positions(e["type"], pd.Series(list(TIE_TYPES)))
        bits = np.left_shift(1, np.maximum(code, 0))
        if directed:
            sym = np.flatnonzero(e["symmetric"].to_numpy(dtype=bool))
            u, v = np.concatenate([u, v[sym]]), np.concatenate([v, u[sym]])
            value = np.concatenate([value, value[sym]])
            strength = np.concatenate([strength, strength[sym]])
            bits = np.concatenate([bits, bits[sym]])
        else:
            u, v = np.minimum(u, v), np.maximum(u, v)
        n = max(self.n_nodes, 1)
        k = u.astype(np.int64) * n + v.astype(np.int64)
        order = np.argsort(k, kind="stable")
        ks = k[order]
        if len(ks) == 0:
            return pd.DataFrame({"u": np.array([], dtype=np.int64), "v": np.array([], dtype=np.int64),
                                 "value": np.array([], dtype=float), "strength": np.array([], dtype=float),
                                 "ties": np.array([], dtype=np.int64), "types": np.array([], dtype=object)})
        starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
        uk = ks[starts]
        mask = np.bitwise_or.reduceat(bits[order], starts)
        names = {}
        for m in np.unique(mask):
            names[m] = ";".join(sorted(t for i, t in enumerate(TIE_TYPES) if m >> i & 1))
        return pd.DataFrame(
            {
                "u": uk // n,
                "v": uk % n,
                "value": np.add.reduceat(value[order], starts),
                "strength": np.maximum.reduceat(strength[order], starts),
                "ties": np.diff(np.r_[starts, len(ks)]),
                "types": pd.Series(mask).map(names).to_numpy(dtype=object),
            }
        )

    def to_networkx(self, directed: bool = True, multigraph: bool = False):
        """A networkx graph of the network.

        Nodes carry every organisation attribute. With ``multigraph=False``
        (default) parallel ties are aggregated as in :meth:`pairs` (edge
        attributes ``value``, ``strength``, ``ties``, ``types``); with
        ``multigraph=True`` each tie is its own edge with all its columns.
        In a directed graph a symmetric tie appears in both directions.
        """
        import networkx as nx

        if multigraph:
            g = nx.MultiDiGraph() if directed else nx.MultiGraph()
        else:
            g = nx.DiGraph() if directed else nx.Graph()
        for rec in self.nodes.to_dict("records"):
            g.add_node(rec["id"], **rec)
        ids = self.ids
        if multigraph:
            cols = [c for c in self.edges.columns if c not in ("source", "target")]
            recs = self.edges.to_dict("records")
            for rec in recs:
                attrs = {c: rec[c] for c in cols}
                g.add_edge(rec["source"], rec["target"], **attrs)
                if directed and rec["symmetric"]:
                    g.add_edge(rec["target"], rec["source"], **attrs)
            return g
        p = self.pairs(directed=directed)
        for u, v, val, s, n, t in zip(p["u"], p["v"], p["value"], p["strength"], p["ties"], p["types"]):
            g.add_edge(ids[u], ids[v], value=float(val), strength=float(s), ties=int(n), types=t)
        return g

    def adjacency(self, directed: bool = True, weight: str | None = None):
        """Sparse adjacency matrix (``scipy.sparse.csr_array``) over node positions.

        ``weight`` is ``None`` (1 per connected pair), ``"value"`` or
        ``"strength"`` (aggregated as in :meth:`pairs`). Undirected matrices
        are symmetric.
        """
        from scipy import sparse

        n = self.n_nodes
        p = self.pairs(directed=directed)
        u = p["u"].to_numpy(dtype=np.int64)
        v = p["v"].to_numpy(dtype=np.int64)
        w = np.ones(len(p)) if weight is None else p[weight].to_numpy(dtype=float)
        if not directed:
            u, v, w = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w])
        return sparse.csr_array((w, (u, v)), shape=(n, n))

    def neighbors(self, org_id: str, direction: str = "both") -> list[str]:
        """Ids tied to ``org_id``: ``"out"`` downstream, ``"in"`` upstream, or ``"both"``.

        Symmetric ties count in both directions. Sorted, without duplicates.
        """
        self.check_ids([org_id])
        e = self.edges
        sym = e["symmetric"]
        out: set[str] = set()
        if direction in ("out", "both"):
            out.update(e.loc[e["source"] == org_id, "target"])
            out.update(e.loc[sym & (e["target"] == org_id), "source"])
        if direction in ("in", "both"):
            out.update(e.loc[e["target"] == org_id, "source"])
            out.update(e.loc[sym & (e["source"] == org_id), "target"])
        if direction not in ("out", "in", "both"):
            raise ArgumentError(f"direction must be 'out', 'in' or 'both', not '{direction}'", param="direction")
        return sorted(out)


#: Cached views of the organisations alone, shared by a network and its :meth:`Network.active` part.
_NODE_CACHES = ("ids", "index", "names", "focal_ids", "capabilities", "markets")


# ---------------------------------------------------------------- helpers
def _close(word: str, known: list[str]) -> str:
    import difflib

    m = difflib.get_close_matches(word, known, n=3, cutoff=0.6)
    return ", ".join(f"'{x}'" for x in m)


def _positions(values: pd.Series, ids: pd.Series) -> np.ndarray:
    """Position of each of ``values`` in ``ids`` (all must be present)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        pos = pc.index_in(pa.array(values, type=pa.string()), value_set=pa.array(ids, type=pa.string()))
        out = pos.to_numpy(zero_copy_only=False)
        if not np.isnan(out.astype(float)).any():
            return out.astype(np.int64)
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    idx = pd.Index(ids.to_numpy(dtype=object))
    out = idx.get_indexer(values.to_numpy(dtype=object))
    if (out < 0).any():
        missing = values[out < 0].iloc[0]
        raise NodeNotFound(f"tie endpoint '{missing}' is not an organisation of this network")
    return out.astype(np.int64)


def _as_tuple(x) -> tuple[str, ...]:
    if isinstance(x, tuple):
        return x
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ()
    if isinstance(x, str):
        return tuple(p.strip() for p in x.split(";") if p.strip())
    return tuple(str(p) for p in x)


def _complete_nodes(nodes: pd.DataFrame) -> pd.DataFrame:
    df = nodes.copy()
    for col in NODE_TABLE_COLUMNS:
        if col not in df.columns:
            if col in LIST_COLUMNS:
                df[col] = [()] * len(df)
            elif col == "focal":
                df[col] = False
            elif col in NODE_NUMBER_COLUMNS:
                df[col] = np.nan
            else:
                df[col] = ""
    for col in LIST_COLUMNS:
        if set(map(type, df[col].to_numpy(dtype=object))) - {tuple}:
            df[col] = df[col].map(_as_tuple)
    df["focal"] = df["focal"].fillna(False).astype(bool)
    for col in NODE_NUMBER_COLUMNS:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    df["id"] = df["id"].astype(str)
    df["name"] = df["name"].where(df["name"].astype(bool), df["id"]).astype(str)
    for col in NODE_TEXT_COLUMNS:
        df[col] = df[col].fillna("").astype(str)
    extra = [c for c in df.columns if c not in NODE_TABLE_COLUMNS]
    return df[[*NODE_TABLE_COLUMNS, *extra]].reset_index(drop=True)


def _complete_edges(edges: pd.DataFrame) -> pd.DataFrame:
    df = edges.copy()
    for col in EDGE_TABLE_COLUMNS:
        if col not in df.columns:
            if col in DATE_COLUMNS:
                df[col] = pd.NaT
            elif col in ("exclusive", "symmetric"):
                df[col] = False
            elif col == "category":
                df[col] = ""
            elif col == "row":
                df[col] = np.arange(2, len(df) + 2)
            else:
                df[col] = np.nan
    df["source"] = df["source"].astype(str)
    df["target"] = df["target"].astype(str)
    df["type"] = df["type"].astype(str).str.upper()
    df["symmetric"] = df["type"].isin(SYMMETRIC_TYPES)
    df["category"] = df["category"].fillna("").astype(str)
    for col in ("value", *QUALITIES, "strength"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    for col in DATE_COLUMNS:
        df[col] = pd.to_datetime(df[col], errors="coerce")
    df["exclusive"] = df["exclusive"].fillna(False).astype(bool)
    extra = [c for c in df.columns if c not in EDGE_TABLE_COLUMNS]
    return df[[*EDGE_TABLE_COLUMNS, *extra]].reset_index(drop=True)
