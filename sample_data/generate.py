"""Generate the sample network in this folder (organizations.csv, relationships.csv).

A focal manufacturer of electric drive systems, Helios Drives (id ORG-0001),
with:

* multi-tier suppliers: tier-1 suppliers per input category, tier-2 suppliers
  shared by several tier-1s (a copper smelter, a wafer fab, a magnet-alloy
  refiner, ...), and tier-3 raw-material producers;
* one single-sourced input category (``rare-earth magnets``) and one highly
  concentrated one (``power semiconductors``: one supplier holds ~80 %);
* peer manufacturers that share suppliers, distributors and research partners;
* distributors per market, only some of which Helios already uses;
* research partners with distinct capabilities;
* customers with CLV and satisfaction, served directly and through distributors;
* for the relationship portfolio, two input categories spread over five suppliers each and customers with
  weaker relationships, so that every Kraljic quadrant and customer segment has members.

Run ``python sample_data/generate.py`` to write the files again: the output is
the same every time (seeded).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 20261126
HERE = Path(__file__).resolve().parent

MARKETS = {
    "DE": ("DE", "Europe"), "FR": ("FR", "Europe"), "IT": ("IT", "Europe"), "ES": ("ES", "Europe"),
    "UK": ("GB", "Europe"), "PL": ("PL", "Europe"), "Nordics": ("SE", "Europe"), "Benelux": ("NL", "Europe"),
    "US": ("US", "North America"), "CA": ("CA", "North America"), "MX": ("MX", "North America"),
    "BR": ("BR", "South America"), "CN": ("CN", "Asia"), "JP": ("JP", "Asia"), "KR": ("KR", "Asia"),
    "IN": ("IN", "Asia"), "AU": ("AU", "Oceania"), "ZA": ("ZA", "Africa"),
}
#: markets where the focal organisation already sells
FOCAL_MARKETS = ["DE", "FR", "IT", "UK", "Nordics", "US", "CN"]

# input category -> (tier-2 inputs, typical annual spend of the focal in EUR)
CATEGORIES = {
    "copper wire": (["copper cathode", "insulation resin"], 1_800_000),
    "rare-earth magnets": (["magnet alloy"], 2_400_000),
    "steel housings": (["steel coil", "castings"], 1_500_000),
    "power semiconductors": (["silicon wafers", "silicon carbide substrates"], 3_200_000),
    "PCBs": (["copper laminate", "silicon wafers"], 900_000),
    "bearings": (["steel coil"], 600_000),
    "cables and connectors": (["copper cathode", "insulation resin"], 450_000),
    "sensors": (["silicon wafers"], 700_000),
    "packaging": (["cardboard"], 150_000),
    "firmware services": ([], 500_000),
}
# tier-2 input -> tier-3 raw material
RAW = {
    "copper cathode": "copper ore", "magnet alloy": "rare-earth oxide", "steel coil": "iron ore",
    "silicon wafers": "polysilicon", "silicon carbide substrates": "polysilicon",
    "castings": "iron ore", "copper laminate": "copper ore", "insulation resin": "petrochemicals",
    "cardboard": "pulp",
}
RESEARCH = [
    ("Technical University of Aachen", "DE", ["motor thermal simulation", "predictive maintenance AI"]),
    ("Fraunhofer Power Electronics Lab", "DE", ["silicon carbide power electronics"]),
    ("Politecnico Drive Systems Group", "IT", ["high-speed motor design"]),
    ("Grenoble Magnetics Institute", "FR", ["rare-earth-free magnets"]),
    ("Chalmers Electrification Centre", "SE", ["battery integration"]),
    ("MIT Motion Lab", "US", ["robotics control"]),
    ("Tsinghua Motor Institute", "CN", ["low-cost motor manufacturing"]),
    ("Tohoku Materials Lab", "JP", ["magnet recycling"]),
    ("KAIST Power Lab", "KR", ["gallium nitride power electronics"]),
    ("IIT Madras Drives Centre", "IN", ["frugal engineering"]),
    ("Delft Circular Design Lab", "NL", ["circular product design"]),
    ("Warwick Manufacturing Group", "GB", ["additive manufacturing"]),
    ("Sao Paulo Energy Institute", "BR", ["grid integration"]),
    ("CSIRO Mining Tech", "AU", ["ethical sourcing audits"]),
    ("ETH Control Systems", "DE", ["functional safety"]),
]

WORDS_A = ["Nord", "Alpen", "Baltic", "Atlas", "Vega", "Orion", "Rhein", "Delta", "Summit", "Pacific",
           "Iberia", "Kestrel", "Granite", "Helix", "Lumen", "Meridian", "Nova", "Polar", "Quantum", "Silva",
           "Terra", "Vista", "Zenith", "Aurora", "Boreal", "Cobalt", "Danube", "Falcon", "Harbor", "Ivory"]
WORDS_B = ["Industries", "Works", "Group", "Systems", "Technologies", "Components", "Solutions", "Holdings",
           "Manufacturing", "Partners", "Trading", "Logistics", "Materials", "Engineering", "Supply"]
SUFFIX = {"DE": "GmbH", "FR": "SA", "IT": "S.p.A.", "ES": "S.L.", "GB": "Ltd", "PL": "Sp. z o.o.",
          "SE": "AB", "NL": "B.V.", "US": "Inc.", "CA": "Inc.", "MX": "S.A. de C.V.", "BR": "Ltda",
          "CN": "Co., Ltd.", "JP": "K.K.", "KR": "Co., Ltd.", "IN": "Pvt Ltd", "AU": "Pty Ltd",
          "ZA": "(Pty) Ltd", "TW": "Co., Ltd.", "CL": "S.A.", "PE": "S.A.C."}
SUPPLIER_COUNTRIES = ["DE", "PL", "IT", "CN", "TW", "JP", "KR", "US", "MX", "IN", "ES"]
RAW_COUNTRIES = ["AU", "CL", "PE", "CN", "BR", "ZA"]


class Builder:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.orgs: list[dict] = []
        self.ties: list[dict] = []
        self._names: set[str] = set()
        self._keys: set[tuple] = set()

    # ------------------------------------------------------------- helpers
    def new_id(self) -> str:
        return f"ORG-{len(self.orgs) + 1:04d}"

    def company_name(self, country: str, hint: str = "") -> str:
        for _ in range(1000):
            a = self.rng.choice(WORDS_A)
            b = hint or self.rng.choice(WORDS_B)
            name = f"{a} {b} {SUFFIX.get(country, 'Ltd')}"
            if name not in self._names:
                self._names.add(name)
                return name
            hint = ""
        raise RuntimeError("ran out of names")

    def org(self, name: str, roles: str, country: str, region: str, industry: str, *, focal=False,
            capabilities=(), markets=(), revenue=None, employees=None, clv=None, satisfaction=None) -> str:
        oid = self.new_id()
        self.orgs.append({
            "id": oid, "name": name, "roles": roles, "focal": "true" if focal else "",
            "country": country, "region": region, "industry": industry,
            "capabilities": ";".join(capabilities), "markets": ";".join(markets),
            "revenue": "" if revenue is None else str(int(revenue)),
            "employees": "" if employees is None else str(int(employees)),
            "clv": "" if clv is None else str(int(clv)),
            "satisfaction": "" if satisfaction is None else f"{satisfaction:.1f}",
        })
        return oid

    def qualities(self, base: float) -> dict:
        """Four qualities around ``base``; about one tie in twelve records none."""
        if self.rng.random() < 0.08:
            return {q: "" for q in ("trust", "communication", "commitment", "mutual_benefit")}
        out = {}
        for q in ("trust", "communication", "commitment", "mutual_benefit"):
            v = min(1.0, max(0.05, self.rng.gauss(base, 0.12)))
            out[q] = "" if self.rng.random() < 0.05 else f"{v:.2f}"
        return out

    def tie(self, source: str, target: str, type_: str, value: float | None, category: str = "", *,
            base: float = 0.7, exclusive: bool = False, since_year=None, until: str = "",
            qualities: dict | None = None) -> None:
        sym = type_ in ("COLLABORATES_WITH", "PARTNERS_WITH")
        a, b = (min(source, target), max(source, target)) if sym else (source, target)
        key = (a, b, type_, category.casefold())
        if key in self._keys or source == target:
            return
        self._keys.add(key)
        year = since_year or self.rng.randint(2008, 2024)
        since = f"{year}-{self.rng.randint(1, 12):02d}-01"
        self.ties.append({
            "source": source, "target": target, "type": type_,
            "value": "" if value is None else str(int(round(value, -2))),
            "category": category, **(qualities or self.qualities(base)),
            "since": since, "until": until, "exclusive": "true" if exclusive else "false",
        })

    def spend_split(self, total: float, n: int, concentrated: float | None = None) -> list[float]:
        if n == 1:
            return [total]
        if concentrated:
            rest = [self.rng.random() + 0.2 for _ in range(n - 1)]
            s = sum(rest)
            return [total * concentrated] + [total * (1 - concentrated) * r / s for r in rest]
        w = [self.rng.random() + 0.3 for _ in range(n)]
        s = sum(w)
        return [total * x / s for x in w]


def build(seed: int = SEED) -> Builder:
    b = Builder(seed)
    r = b.rng
    focal = b.org("Helios Drives GmbH", "firm", "DE", "Europe", "Electric drive systems", focal=True,
                  capabilities=["motor assembly", "drive electronics design"], markets=FOCAL_MARKETS,
                  revenue=48_000_000, employees=310)

    # peer manufacturers (other firms in the network)
    peers = []
    peer_countries = ["DE", "IT", "FR", "US", "CN", "JP", "KR", "IN", "PL", "ES", "SE", "MX", "BR", "GB",
                      "DE", "US", "CN", "JP"]
    mk_by_country = {v[0]: k for k, v in MARKETS.items()}
    for c in peer_countries:
        region = next((v[1] for v in MARKETS.values() if v[0] == c), "Europe")
        home = mk_by_country.get(c, "DE")
        mks = sorted({home, *r.sample(list(MARKETS), r.randint(1, 4))})
        peers.append(b.org(b.company_name(c, "Motion Systems" if r.random() < 0.3 else ""), "firm", c, region,
                           r.choice(["Industrial automation", "Electric drive systems", "Pumps and compressors",
                                     "E-mobility", "Robotics"]),
                           capabilities=r.sample(["motor assembly", "gearboxes", "inverters", "servo drives",
                                                  "control software", "pump systems"], 2),
                           markets=mks, revenue=r.lognormvariate(17.5, 0.8), employees=r.randint(80, 4000)))

    # tier-3 raw-material producers
    raw_suppliers: dict[str, list[str]] = {}
    for raw in sorted(set(RAW.values())):
        raw_suppliers[raw] = []
        for _ in range(2 if raw in ("copper ore", "iron ore", "polysilicon") else 1):
            c = r.choice(RAW_COUNTRIES)
            raw_suppliers[raw].append(b.org(b.company_name(c, "Mining" if "ore" in raw else "Materials"), "supplier",
                                            c, _region(c), "Raw materials", capabilities=[raw],
                                            revenue=r.lognormvariate(18, 0.7), employees=r.randint(200, 9000)))

    # tier-2 suppliers: one to three per tier-2 input; the big ones are shared by many tier-1s
    tier2: dict[str, list[str]] = {}
    for inp in sorted(RAW):
        tier2[inp] = []
        for _ in range(r.randint(2, 3) if inp not in ("magnet alloy",) else 1):
            c = r.choice(SUPPLIER_COUNTRIES)
            oid = b.org(b.company_name(c), "supplier", c, _region(c), "Materials processing", capabilities=[inp],
                        revenue=r.lognormvariate(16.5, 0.8), employees=r.randint(50, 3000))
            tier2[inp].append(oid)
            for raw_sup in raw_suppliers[RAW[inp]]:
                if r.random() < 0.8 or raw_sup == raw_suppliers[RAW[inp]][0]:
                    b.tie(raw_sup, oid, "SUPPLIES", r.lognormvariate(13, 0.6), RAW[inp], base=0.6)

    # tier-1 suppliers of the focal organisation, per input category
    concentrated = {"power semiconductors": 0.8}
    n_suppliers = {"rare-earth magnets": 1, "power semiconductors": 3, "copper wire": 3, "steel housings": 3,
                   "PCBs": 2, "bearings": 2, "cables and connectors": 3, "sensors": 2, "packaging": 2,
                   "firmware services": 2}
    tier1_all: list[tuple[str, str]] = []
    for cat, (inputs, spend) in CATEGORIES.items():
        shares = b.spend_split(spend, n_suppliers[cat], concentrated.get(cat))
        for i, s in enumerate(shares):
            c = r.choice(SUPPLIER_COUNTRIES)
            oid = b.org(b.company_name(c, "Components" if r.random() < 0.4 else ""), "supplier", c, _region(c),
                        "Components", capabilities=[cat] + ([r.choice(["custom engineering", "just-in-time delivery"])]
                                                            if r.random() < 0.4 else []),
                        revenue=r.lognormvariate(16.8, 0.7), employees=r.randint(40, 2500))
            tier1_all.append((oid, cat))
            exclusive = cat == "rare-earth magnets" or (cat == "power semiconductors" and i == 0)
            b.tie(oid, focal, "SUPPLIES", s, cat, base=0.75, exclusive=exclusive)
            # each tier-1 buys its inputs from the (shared) tier-2 suppliers
            for inp in inputs:
                for t2 in r.sample(tier2[inp], min(len(tier2[inp]), r.randint(1, 2))):
                    b.tie(t2, oid, "SUPPLIES", s * r.uniform(0.15, 0.4), inp, base=0.65)
            # and sells to peer manufacturers too
            for p in r.sample(peers, r.randint(1, 4)):
                b.tie(oid, p, "SUPPLIES", r.lognormvariate(13.2, 0.7), cat, base=0.65)

    # peers' own tier-1 suppliers (not suppliers of the focal organisation)
    for _ in range(30):
        cat = r.choice(list(CATEGORIES))
        c = r.choice(SUPPLIER_COUNTRIES)
        oid = b.org(b.company_name(c), "supplier", c, _region(c), "Components", capabilities=[cat],
                    revenue=r.lognormvariate(16.2, 0.7), employees=r.randint(30, 1500))
        for p in r.sample(peers, r.randint(1, 3)):
            b.tie(oid, p, "SUPPLIES", r.lognormvariate(13, 0.7), cat, base=0.65)
        for inp in CATEGORIES[cat][0]:
            b.tie(r.choice(tier2[inp]), oid, "SUPPLIES", r.lognormvariate(12, 0.6), inp, base=0.6)

    # distributors per market (one or two each); the focal uses some of them
    distributors: dict[str, list[str]] = {}
    for mk, (c, region) in MARKETS.items():
        distributors[mk] = []
        for _ in range(2 if mk in ("DE", "US", "CN", "FR", "UK") else 1):
            extra = [m for m in r.sample(list(MARKETS), 1) if MARKETS[m][1] == region and m != mk]
            distributors[mk].append(b.org(b.company_name(c, r.choice(["Trading", "Logistics", "Distribution"])),
                                          "distributor", c, region, "Industrial distribution",
                                          capabilities=["logistics", "after-sales service"] if r.random() < 0.5
                                          else ["logistics"], markets=[mk, *extra],
                                          revenue=r.lognormvariate(16, 0.6), employees=r.randint(20, 900)))
    for mk in FOCAL_MARKETS:
        for i, d in enumerate(distributors[mk]):
            b.tie(focal, d, "SELLS_THROUGH", r.lognormvariate(14.3, 0.5) * (1.6 if i == 0 else 0.7), "drive systems",
                  base=0.75, exclusive=(mk == "CN"))
    for p in peers:
        for mk in r.sample(list(MARKETS), r.randint(2, 5)):
            b.tie(p, r.choice(distributors[mk]), "SELLS_THROUGH", r.lognormvariate(13.5, 0.7), "drive systems",
                  base=0.65)
    all_dist = [d for ds in distributors.values() for d in ds]
    for _ in range(10):  # alliances between distributors
        x, y = r.sample(all_dist, 2)
        b.tie(x, y, "PARTNERS_WITH", None, base=0.6)

    # research partners, each with distinct capabilities
    research = []
    for name, c, caps in RESEARCH:
        research.append(b.org(name, "research_partner", c, _region(c), "Research", capabilities=caps,
                              employees=r.randint(40, 600)))
    for rp in r.sample(research, 4):
        b.tie(focal, rp, "COLLABORATES_WITH", r.choice([80_000, 120_000, 250_000]), "R&D", base=0.8)
    for rp in research:
        for p in r.sample(peers, r.randint(1, 3)):
            b.tie(p, rp, "COLLABORATES_WITH", r.choice([None, 60_000, 150_000]), "R&D", base=0.7)
        for s_id, _cat in r.sample(tier1_all, r.randint(0, 2)):
            b.tie(s_id, rp, "COLLABORATES_WITH", None, "R&D", base=0.65)

    # alliances between manufacturers
    b.tie(focal, peers[1], "PARTNERS_WITH", 300_000, "joint bids", base=0.7)
    b.tie(focal, peers[5], "PARTNERS_WITH", None, "technology licensing", base=0.55)
    for _ in range(12):
        x, y = r.sample(peers, 2)
        b.tie(x, y, "PARTNERS_WITH", None, base=0.6)

    # customers: machine builders, integrators, OEMs, with CLV and satisfaction
    industries = ["Machine building", "Packaging machinery", "HVAC", "Logistics automation", "Agricultural machinery",
                  "Food processing", "E-mobility", "Robotics integration"]
    for i in range(185):
        mk = r.choice(list(MARKETS))
        c, region = MARKETS[mk]
        clv = r.lognormvariate(12.5, 1.0)
        cust = b.org(b.company_name(c), "customer", c, region, r.choice(industries), markets=[mk],
                     revenue=r.lognormvariate(16.5, 1.0), employees=r.randint(10, 5000),
                     clv=clv, satisfaction=min(10.0, max(0.0, r.gauss(7.2, 1.6))))
        # through one or two distributors of its market
        for d in r.sample(distributors[mk], min(len(distributors[mk]), r.randint(1, 2))):
            b.tie(d, cust, "SELLS_TO", r.lognormvariate(12.3, 0.8), "drive systems", base=0.68)
        # a quarter of customers in the focal's markets buy directly from Helios
        if mk in FOCAL_MARKETS and r.random() < 0.35:
            b.tie(focal, cust, "SELLS_TO", clv * r.uniform(0.15, 0.35), "drive systems", base=0.78,
                  until="2023-06-30" if r.random() < 0.08 else "")
        # and from one to three peer manufacturers
        for p in r.sample(peers, r.randint(1, 3)):
            b.tie(p, cust, "SELLS_TO", r.lognormvariate(12, 0.9), "drive systems", base=0.66)
    # a few customers that also supply (roles can be combined)

    # the relationship portfolio: two input categories spread over five suppliers each with no shared supplier
    # upstream (low supply risk: leverage and non-critical in Kraljic's matrix) ...
    for cat, spend in (("machining services", 1_600_000), ("MRO supplies", 200_000)):
        for share in (0.24, 0.22, 0.20, 0.18, 0.16):
            c = r.choice(SUPPLIER_COUNTRIES)
            oid = b.org(b.company_name(c), "supplier", c, _region(c), "Components", capabilities=[cat],
                        revenue=r.lognormvariate(16.8, 0.7), employees=r.randint(40, 2500))
            b.tie(oid, focal, "SUPPLIES", spend * share, cat, base=0.75, since_year=r.randint(2012, 2022))
    # ... customers Helios serves directly with weaker relationships (at risk or served efficiently) ...
    for _ in range(12):
        mk = r.choice(FOCAL_MARKETS)
        c, region = MARKETS[mk]
        clv = r.lognormvariate(12.5, 1.0)
        cust = b.org(b.company_name(c), "customer", c, region, r.choice(industries), markets=[mk],
                     revenue=r.lognormvariate(16.5, 1.0), employees=r.randint(10, 5000),
                     clv=clv, satisfaction=min(10.0, max(0.0, r.gauss(6.0, 1.6))))
        b.tie(focal, cust, "SELLS_TO", clv * r.uniform(0.15, 0.35), "drive systems", base=0.45,
              since_year=r.randint(2012, 2022))
    # ... and one whose good communication and mutual benefit have not turned into trust (commitment-trust gap)
    cust = b.org(b.company_name("FR"), "customer", "FR", "Europe", "HVAC", markets=["FR"],
                 revenue=r.lognormvariate(16.5, 1.0), employees=r.randint(10, 5000), clv=420_000, satisfaction=7.5)
    b.tie(focal, cust, "SELLS_TO", 110_000, "drive systems", since_year=2022,
          qualities={"trust": "0.42", "communication": "0.82", "commitment": "0.55", "mutual_benefit": "0.78"})
    return b


def _region(country: str) -> str:
    for c, region in MARKETS.values():
        if c == country:
            return region
    return {"TW": "Asia", "CL": "South America", "PE": "South America"}.get(country, "Europe")


def write(folder: Path = HERE, seed: int = SEED) -> tuple[int, int]:
    b = build(seed)
    for name, rows in (("organizations.csv", b.orgs), ("relationships.csv", b.ties)):
        with open(folder / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return len(b.orgs), len(b.ties)


# ------------------------------------------------------------------ history
#: the dated snapshots under history/, oldest first; the last is the sample itself
SNAPSHOTS = ["2023-06-30", "2024-06-30", "2025-06-30"]
QUALITY_COLUMNS = ("trust", "communication", "commitment", "mutual_benefit")


def earlier(orgs: list[dict], ties: list[dict], day: str, rng: random.Random, step: int,
            focal: str = "ORG-0001") -> tuple[list[dict], list[dict]]:
    """The snapshot one year before (``orgs``, ``ties``), as the CRM/ERP export of ``day`` would have held it.

    Churn, undone backwards: ties that start after ``day`` and about 3 % of the others were won later
    (left out), among them a few of the focal's distributors and research partners and (the year before the sample) its two alliances; a second supplier of ``rare-earth magnets`` and three customers were lost later (added
    here); qualities and values drift a little, and four of the focal's relationships were stronger
    (they weaken later); one supplier had another name.
    """
    orgs = [dict(o) for o in orgs]
    kept = []
    for t in ties:
        if t["since"] > day:
            continue
        if t["source"] != focal and t["target"] != focal and rng.random() < 0.03:
            continue
        t = dict(t)
        if rng.random() < 0.2:  # a survey re-rated the relationship
            for q in QUALITY_COLUMNS:
                if t[q]:
                    t[q] = f"{min(1.0, max(0.05, float(t[q]) + rng.gauss(0, 0.06))):.2f}"
        if t["value"] and rng.random() < 0.4:
            t["value"] = str(int(round(float(t["value"]) * rng.uniform(0.85, 1.15), -2)))
        kept.append(t)
    # channels and research partners the focal won later (partners' partners: the shortlist's kind)
    won = sorted(i for i, t in enumerate(kept) if focal in (t["source"], t["target"])
                 and t["type"] in ("SELLS_THROUGH", "COLLABORATES_WITH"))
    drop = set(rng.sample(won, min(3 - step, len(won))))
    if step == 1:  # the two alliances with peers were formed in the last year
        drop |= {i for i, t in enumerate(kept) if focal in (t["source"], t["target"]) and t["type"] == "PARTNERS_WITH"}
    ties = [t for i, t in enumerate(kept) if i not in drop]
    mine = [t for t in ties if t["source"] == focal and t["type"] == "SELLS_TO" and t["trust"]
            and all(t[q] and float(t[q]) <= 0.65 for q in QUALITY_COLUMNS)]
    for t in rng.sample(mine, min(4, len(mine))):
        for q in QUALITY_COLUMNS:
            t[q] = f"{min(1.0, float(t[q]) + 0.3):.2f}"
    start = f"{int(day[:4]) - 3}-01-01"
    if step == 1:  # the year before the sample: rare-earth magnets still had a second source
        orgs.append({**orgs[1], "id": "ORG-9001", "name": "Grenoble Magnet Alloys SA", "roles": "supplier",
                     "focal": "", "country": "FR", "region": "Europe", "industry": "Magnets",
                     "capabilities": "", "markets": "FR", "revenue": "41000000", "employees": "230", "clv": "",
                     "satisfaction": ""})
        ties.append({"source": "ORG-9001", "target": focal, "type": "SUPPLIES", "value": "700000",
                     "category": "rare-earth magnets", "trust": "0.62", "communication": "0.58",
                     "commitment": "0.55", "mutual_benefit": "0.60", "since": start, "until": "",
                     "exclusive": "false"})
        for i, (name, country, clv) in enumerate((("Baltic Pump Works AB", "SE", 380000),
                                                  ("Vega Conveyor Systems S.p.A.", "IT", 520000),
                                                  ("Orion Packaging Lines Ltd", "GB", 240000))):
            oid = f"ORG-{9002 + i}"
            orgs.append({**orgs[1], "id": oid, "name": name, "roles": "customer", "focal": "",
                         "country": country, "region": "Europe", "industry": "Machine building",
                         "capabilities": "", "markets": country, "revenue": "", "employees": "",
                         "clv": str(clv), "satisfaction": "5.5"})
            ties.append({"source": focal, "target": oid, "type": "SELLS_TO", "value": str(int(clv * 0.25)),
                         "category": "drive systems", "trust": "0.55", "communication": "0.5",
                         "commitment": "0.45", "mutual_benefit": "0.5", "since": start, "until": "",
                         "exclusive": "false"})
        renamed = next(o for o in orgs if o["id"] == "ORG-0054")
        renamed["name"] = "Iberia Magnetics Inc."
    return orgs, ties


def write_history(folder: Path = HERE / "history", seed: int = SEED) -> list[tuple[str, int, int]]:
    """Write the dated snapshots (see ``SNAPSHOTS``) under ``folder``; the last equals the sample."""
    b = build(seed)
    rng = random.Random(seed + 1)
    snaps = {SNAPSHOTS[-1]: (b.orgs, b.ties)}
    orgs, ties = b.orgs, b.ties
    for step, day in enumerate(reversed(SNAPSHOTS[:-1]), start=1):
        orgs, ties = earlier(orgs, ties, day, rng, step)
        snaps[day] = (orgs, ties)
    out = []
    for day in SNAPSHOTS:
        orgs, ties = snaps[day]
        (folder / day).mkdir(parents=True, exist_ok=True)
        _write_rows(folder / day, orgs, ties)
        out.append((day, len(orgs), len(ties)))
    return out


def _write_rows(folder: Path, orgs: list[dict], ties: list[dict]) -> None:
    for name, rows in (("organizations.csv", orgs), ("relationships.csv", ties)):
        with open(folder / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)


if __name__ == "__main__":
    n, m = write()
    print(f"wrote {n} organisations and {m} ties to {HERE}")
    for day, n, m in write_history():
        print(f"wrote {n} organisations and {m} ties to {HERE / 'history' / day}")
