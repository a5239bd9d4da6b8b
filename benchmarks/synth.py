"""Seeded generator of large synthetic business networks that follow the data contract.

Heavy-tailed degrees (preferential attachment on a Zipf-weighted pool), all
five roles and tie types, values, categories, the four qualities, dates and
exclusivity. One focal organisation ``F0`` with a chosen number of direct
partners, and a capability ``wide`` held by a chosen number of organisations,
so that the per-issue targets ("a focal organisation with 2,000 direct
partners", "a capability held by 1,000 organisations") have a fixed subject.

Usage::

    python -m benchmarks.synth 1000000 benchmarks/data/1m      # write CSVs
    from benchmarks.synth import generate, network
    nodes, edges = generate(100_000)                            # string tables
    net = network(100_000)                                      # a Network, in memory
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

ROLES = ("firm", "supplier", "distributor", "research_partner", "customer")
ROLE_P = (0.10, 0.40, 0.10, 0.05, 0.35)
COUNTRIES = ("DE", "FR", "US", "CN", "JP", "PL", "IT", "ES", "GB", "IN", "BR", "MX", "KR", "TW", "NL")
FOCAL = "F0"
WIDE = "wide"
# which tie type connects a role pair (source role, target role)
_TYPES = {
    ("supplier", "firm"): "SUPPLIES",
    ("supplier", "supplier"): "SUPPLIES",
    ("firm", "distributor"): "SELLS_THROUGH",
    ("firm", "customer"): "SELLS_TO",
    ("distributor", "customer"): "SELLS_TO",
    ("research_partner", "firm"): "COLLABORATES_WITH",
    ("research_partner", "supplier"): "COLLABORATES_WITH",
    ("research_partner", "research_partner"): "COLLABORATES_WITH",
    ("research_partner", "distributor"): "COLLABORATES_WITH",
    ("supplier", "distributor"): "SUPPLIES",
    ("supplier", "customer"): "SELLS_TO",
    ("distributor", "firm"): "SUPPLIES",
    ("firm", "firm"): "PARTNERS_WITH",
    ("distributor", "distributor"): "PARTNERS_WITH",
    ("customer", "customer"): "PARTNERS_WITH",
}


def generate(
    n_ties: int,
    n_orgs: int | None = None,
    *,
    seed: int = 42,
    focal_partners: int = 2000,
    wide_holders: int = 1000,
    n_capabilities: int = 200,
    n_markets: int = 60,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Organisations and relationships tables (all cells strings, as read from CSV).

    ``n_orgs`` defaults to ``n_ties // 5``. Ties are unique per
    (source, target, type, category) and never self-ties, so the output always
    validates.
    """
    rng = np.random.default_rng(seed)
    n = int(n_orgs or max(50, n_ties // 5))
    focal_partners = min(focal_partners, n - 1)
    ids = np.array([FOCAL] + [f"O{i}" for i in range(1, n)], dtype=object)
    role = rng.choice(len(ROLES), size=n, p=ROLE_P)
    role[0] = 0  # the focal organisation is a firm
    # heavy-tailed attractiveness: Pareto weights
    attract = rng.pareto(1.2, size=n) + 1.0
    attract[0] = attract.max() * 2

    caps = np.array([f"cap{i:03d}" for i in range(n_capabilities)], dtype=object)
    markets = np.array([f"M{i:02d}" for i in range(n_markets)], dtype=object)
    zc = 1.0 / np.arange(1, n_capabilities + 1)
    zc /= zc.sum()
    zm = 1.0 / np.arange(1, n_markets + 1)
    zm /= zm.sum()
    cap1 = rng.choice(n_capabilities, size=n, p=zc)
    cap2 = rng.choice(n_capabilities, size=n, p=zc)
    mk1 = rng.choice(n_markets, size=n, p=zm)
    mk2 = rng.choice(n_markets, size=n, p=zm)
    wide = np.zeros(n, dtype=bool)
    wide[rng.choice(np.arange(1, n), size=min(wide_holders, n - 1), replace=False)] = True
    cap_text = [
        ";".join(dict.fromkeys([caps[a], caps[b]] + ([WIDE] if w else [])))
        for a, b, w in zip(cap1, cap2, wide)
    ]
    mk_text = [f"{markets[a]};{markets[b]}" if a != b else markets[a] for a, b in zip(mk1, mk2)]
    role_names = np.array(ROLES, dtype=object)[role]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Org {i}" for i in range(n)],
            "roles": role_names,
            "focal": np.where(np.arange(n) == 0, "true", ""),
            "country": np.array(COUNTRIES, dtype=object)[rng.integers(0, len(COUNTRIES), n)],
            "industry": "",
            "capabilities": cap_text,
            "markets": mk_text,
            "revenue": np.round(rng.lognormal(14, 1.5, n)).astype(np.int64).astype(str),
            "employees": rng.integers(5, 5000, n).astype(str),
            "clv": np.where(role_names == "customer", np.round(rng.lognormal(11, 1.2, n)).astype(np.int64).astype(str), ""),
            "satisfaction": np.where(role_names == "customer", np.round(rng.uniform(0, 10, n), 1).astype(str), ""),
        }
    )
    nodes.loc[0, "name"] = "Focal Manufacturing"

    # --- ties: draw endpoints by attractiveness, orient by roles
    m_focal = focal_partners
    m_rest = max(0, n_ties - m_focal)
    p = attract / attract.sum()
    over = int(m_rest * 1.6) + 1000
    a = rng.choice(n, size=over, p=p)
    b = rng.integers(0, n, size=over)  # one uniform end keeps the graph connected-ish
    flip = rng.random(over) < 0.5
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    # the focal organisation's direct partners
    fp = rng.choice(np.arange(1, n), size=m_focal, replace=False)
    a = np.concatenate([np.zeros(m_focal, dtype=np.int64), a])
    b = np.concatenate([fp, b])
    src, tgt, typ = _orient(role[a], role[b], a, b)
    keep = src != tgt
    src, tgt, typ = src[keep], tgt[keep], typ[keep]
    ncat = 40
    cat = rng.integers(0, ncat, size=len(src))
    df = pd.DataFrame({"s": src, "t": tgt, "y": typ, "c": cat})
    sym = np.isin(df["y"].to_numpy(), [3, 4])
    lo = np.minimum(df["s"], df["t"])
    hi = np.maximum(df["s"], df["t"])
    df["k1"] = np.where(sym, lo, df["s"])
    df["k2"] = np.where(sym, hi, df["t"])
    df = df.drop_duplicates(["k1", "k2", "y", "c"])
    # keep the focal ties, then fill up to n_ties
    is_focal = ((df["s"] == 0) | (df["t"] == 0)).to_numpy()
    head = df[is_focal].drop_duplicates(["k1", "k2"]).head(m_focal)
    tail = df[~is_focal].head(max(0, n_ties - len(head)))
    df = pd.concat([head, tail], ignore_index=True)
    m = len(df)
    types = np.array(["SUPPLIES", "SELLS_THROUGH", "SELLS_TO", "COLLABORATES_WITH", "PARTNERS_WITH"], dtype=object)
    q = np.clip(rng.beta(5, 2, size=(m, 4)), 0, 1).round(2)
    missing = rng.random((m, 4)) < 0.1
    qtext = np.where(missing, "", q.astype(str))
    since_days = rng.integers(0, 3650, m)
    since = (np.datetime64("2015-01-01") + since_days.astype("timedelta64[D]")).astype(str)
    ended = rng.random(m) < 0.05
    until = np.where(
        ended,
        (np.datetime64("2015-01-01") + (since_days + rng.integers(30, 1500, m)).astype("timedelta64[D]")).astype(str),
        "",
    )
    edges = pd.DataFrame(
        {
            "source": ids[df["s"].to_numpy()],
            "target": ids[df["t"].to_numpy()],
            "type": types[df["y"].to_numpy()],
            "value": np.round(rng.lognormal(10, 1.5, m)).astype(np.int64).astype(str),
            "category": np.array([f"cat{c:02d}" for c in range(ncat)], dtype=object)[df["c"].to_numpy()],
            "trust": qtext[:, 0],
            "communication": qtext[:, 1],
            "commitment": qtext[:, 2],
            "mutual_benefit": qtext[:, 3],
            "since": since,
            "until": until,
            "exclusive": np.where(rng.random(m) < 0.05, "true", "false"),
        }
    )
    return nodes, edges


def _orient(ra, rb, a, b):
    """Give each drawn pair a tie type from the endpoints' roles, pointing downstream."""
    order = {r: i for i, r in enumerate(ROLES)}
    lut = np.full((5, 5), -1, dtype=np.int64)
    fwd = np.zeros((5, 5), dtype=bool)
    tcode = {"SUPPLIES": 0, "SELLS_THROUGH": 1, "SELLS_TO": 2, "COLLABORATES_WITH": 3, "PARTNERS_WITH": 4}
    for (x, y), t in _TYPES.items():
        lut[order[x], order[y]] = tcode[t]
        fwd[order[x], order[y]] = True
        if lut[order[y], order[x]] < 0:
            lut[order[y], order[x]] = tcode[t]
    t = lut[ra, rb]
    forward = fwd[ra, rb]
    src = np.where(forward, a, b)
    tgt = np.where(forward, b, a)
    # role pairs with no natural tie type become alliances
    t = np.where(t < 0, 4, t)
    return src, tgt, t


def write(path: str | Path, n_ties: int, n_orgs: int | None = None, *, seed: int = 42, **kw) -> Path:
    """Write ``organizations.csv`` and ``relationships.csv`` under ``path``."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    nodes, edges = generate(n_ties, n_orgs, seed=seed, **kw)
    nodes.to_csv(path / "organizations.csv", index=False)
    edges.to_csv(path / "relationships.csv", index=False)
    return path


def network(n_ties: int, n_orgs: int | None = None, *, seed: int = 42, **kw):
    """A validated :class:`netmap.Network` built in memory (no CSV round trip)."""
    from netmap.io.rules import validate_organizations, validate_relationships
    from netmap.io.table import RawTable

    nodes, edges = generate(n_ties, n_orgs, seed=seed, **kw)
    nt, errs = validate_organizations(RawTable("organizations", nodes))
    et, errs2 = validate_relationships(RawTable("relationships", edges), nodes["id"], "organizations")
    if errs or errs2:  # pragma: no cover - the generator always validates
        raise RuntimeError(f"synthetic network does not validate: {(errs + errs2)[:3]}")
    from netmap.network import Network

    return Network(nt, et, source=f"synthetic {n_ties:,} ties (seed {seed})")


def cached_dir(n_ties: int, n_orgs: int | None = None, *, seed: int = 42) -> Path:
    """A CSV directory for this size under benchmarks/data/, written once and reused."""
    root = Path(__file__).resolve().parent / "data"
    d = root / f"synth_{n_ties}_{n_orgs or 'auto'}_{seed}"
    if not (d / "relationships.csv").exists():
        write(d, n_ties, n_orgs, seed=seed)
    return d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ties", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--orgs", type=int)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    write(args.out, args.ties, args.orgs, seed=args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
