"""The geographic map: countries shaded by exposure, flows between countries as arcs; one offline HTML file.

Country shapes come from Natural Earth 1:110m (public domain) as packaged by
the npm package ``world-atlas`` (``render/data/countries-110m.json``,
TopoJSON). They are decoded here and drawn as SVG paths in an
equirectangular projection (longitude and latitude as x and y), keyed by
ISO 3166 alpha-2 code. The page needs no network: shapes, data and script
are inline, and every name reaches the page as JSON read with
``textContent`` or as escaped HTML.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..checks import choice
from ..countries import country_name, numeric_to_alpha2
from ..export.files import write_text_file
from ..network import Network
from ..view import FocalView
from .assets import esc, fill, script_json, template

__all__ = ["MEASURES", "country_shapes", "geomap_data", "render_geomap", "write_geomap"]

HERE = Path(__file__).resolve().parent
#: What the countries can be shaded by.
MEASURES = ("spend", "sales", "organisations")
#: Map width in SVG units; the height follows from the latitude range.
WIDTH = 960.0
LAT_TOP, LAT_BOTTOM = 84.0, -58.0
SCALE = WIDTH / 360.0
#: Arcs drawn at most (the largest flows); the flows table holds them all.
MAX_ARCS = 60


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180.0) * SCALE, (LAT_TOP - lat) * SCALE


@lru_cache(maxsize=1)
def country_shapes() -> dict[str, dict]:
    """``{alpha-2: {"name", "d" (SVG path), "cx", "cy" (centre of its largest ring)}}`` for every country drawn.

    Antarctica is left out (it holds no business partners and takes a sixth of the map).

    >>> s = country_shapes()
    >>> len(s) > 150, s["DE"]["name"], s["DE"]["d"][:1]
    (True, 'Germany', 'M')
    """
    topo = json.loads((HERE / "data" / "countries-110m.json").read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # delta-encoded, quantised positions
        a = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        arcs.append(np.column_stack([a[:, 0] * sx + tx, a[:, 1] * sy + ty]))

    def ring(idx: list[int]) -> np.ndarray:
        pts = []
        for i in idx:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.append(a if not pts else a[1:])
        return np.concatenate(pts) if pts else np.zeros((0, 2))

    out: dict[str, dict] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        code = numeric_to_alpha2(g.get("id")) if g.get("id") else None
        name = g.get("properties", {}).get("name", "")
        if code is None and name == "Kosovo":
            code = "XK"
        if code is None or code == "AQ" or not g.get("arcs"):
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        parts, best, best_area = [], None, -1.0
        for poly in polys:
            for k, r in enumerate(poly):
                pts = ring(r)
                if len(pts) < 3:
                    continue
                if (np.abs(np.diff(pts[:, 0])) > 180).any():  # crosses the antimeridian: keep it in one piece
                    pts = np.column_stack([np.where(pts[:, 0] < 0, pts[:, 0] + 360, pts[:, 0]), pts[:, 1]])
                xy = np.array([_xy(lon, lat) for lon, lat in pts])
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
                if k == 0:
                    area = abs(float(np.dot(xy[:-1, 0], xy[1:, 1]) - np.dot(xy[1:, 0], xy[:-1, 1]))) / 2
                    if area > best_area:
                        best, best_area = xy, area
        if not parts:
            continue
        cx, cy = (float(best[:, 0].mean()), float(best[:, 1].mean())) if best is not None else (0.0, 0.0)
        prev = out.get(code)
        d = "".join(parts)
        out[code] = {"name": country_name(code), "d": (prev["d"] + d) if prev else d,
                     "cx": round(cx, 1), "cy": round(cy, 1)}
    return out


def geomap_data(network: Network | FocalView, focal: str | None = None, *, measure: str = "spend",
                tiers: int = 3, as_of=None, exposure_result=None) -> dict:
    """Everything the geographic map draws, as plain data (see :func:`render_geomap`).

    ``exposure_result`` passes a :func:`netmap.exposure` result already
    computed (by country, with the same focal, date and tiers).
    """
    from ..analysis.exposure import exposure

    measure = choice(measure, "measure", MEASURES, what="measure")
    ex = exposure_result if exposure_result is not None else exposure(network, focal, tiers=tiers, as_of=as_of)
    shapes = country_shapes()
    tiers = int(ex.meta["tiers"])
    sup, sal, places = ex["supply"], ex["sales"], ex["places"]
    per: dict[str, dict] = {}

    def slot(code):
        return per.setdefault(code, {"spend1": 0.0, "spend": 0.0, "sales": 0.0, "organisations": 0, "partners": 0,
                                     "via": ""})

    for _, r in sup.iterrows():
        if r["tier"] == 1:
            slot(r["country"])["spend1"] = float(r["value"])
        if r["tier"] == tiers:
            s = slot(r["country"])
            s["spend"], s["via"] = float(r["value"]), str(r["reason"])
    for _, r in sal[sal["tier"] == 1].iterrows():
        slot(r["country"])["sales"] = float(r["value"])
    for _, r in places.iterrows():
        s = slot(r["country"])
        s["organisations"], s["partners"] = int(r["organisations"]), int(r["partners"])
    countries = []
    for code in sorted(shapes):
        sh = shapes[code]
        v = per.get(code, {})
        countries.append({"code": code, "name": sh["name"], "d": sh["d"], "cx": sh["cx"], "cy": sh["cy"],
                          "spend1": v.get("spend1", 0.0), "spend": v.get("spend", 0.0), "sales": v.get("sales", 0.0),
                          "organisations": v.get("organisations", 0), "partners": v.get("partners", 0),
                          "via": v.get("via", "")})
    flows = [{"source": r["source"], "target": r["target"], "value": float(r["value"]), "ties": int(r["ties"])}
             for _, r in ex["flows"].iterrows() if r["source"] in shapes and r["target"] in shapes]
    unplaced = sorted(k for k in per if k not in shapes)
    return {"focal": ex.meta["focal"], "focal_country": ex.meta["focal_place"], "as_of": ex.meta["as_of"],
            "measure": measure, "tiers": tiers, "countries": countries, "flows": flows[:MAX_ARCS],
            "flows_total": len(flows), "unplaced": unplaced,
            "width": WIDTH, "height": round((LAT_TOP - LAT_BOTTOM) * SCALE, 1)}


def _bins(values: list[float], k: int = 5) -> list[float]:
    """Upper bounds of ``k`` classes of the positive values (quantiles, rounded, increasing)."""
    pos = sorted(v for v in values if v > 0)
    if not pos:
        return []
    qs = sorted({float(np.quantile(pos, (i + 1) / k)) for i in range(k)})
    return qs


def render_geomap(data: dict, title: str = "") -> str:
    """The HTML page of :func:`geomap_data`'s ``data``."""
    m = data["measure"]
    key = "spend" if m == "spend" else m
    vals = [c[key] for c in data["countries"]]
    bins = _bins(vals)
    what = {"spend": f"supply spend traced to tier {data['tiers']}", "sales": "sales (your direct customers "
            "and channels)", "organisations": "organisations in your network"}[m]
    heading = title or f"Where our network lives: {what}"
    return fill(template("geomap.html"), TITLE=esc(heading), SUBTITLE=esc(
        f"Focal organisation {data['focal']} ({data['focal_country']}), ties active on {data['as_of']}. "
        "Countries are shaded by " + what + "; arcs show the value of ties between countries."),
        DATA=script_json(data | {"key": key, "bins": bins, "what": what}))


def write_geomap(network: Network | FocalView, output, focal: str | None = None, **options) -> dict:
    """Build the map with :func:`geomap_data` and write it to ``output`` (HTML); returns the data."""
    data = geomap_data(network, focal, **options)
    write_text_file(output, render_geomap(data))
    return data



#: Shades of the measure, lightest first; countries with none are grey.
SHADES = ("#dbeafe", "#93c5fd", "#3b82f6", "#1d4ed8", "#1e3a8a")
NO_DATA = "#d9dde3"


def static_svg(data: dict, *, key: str = "spend", label: str = "spend") -> str:
    """The map of :func:`geomap_data` as one inline SVG without script: shaded countries, the focal country
    outlined, a native tooltip (``<title>``) per country. For pages that run no script (the report)."""
    vals = [c[key] for c in data["countries"]]
    bins = _bins(vals)

    def shade(v):
        if not v > 0 or not bins:
            return NO_DATA
        for i, b in enumerate(bins):
            if v <= b:
                return SHADES[min(len(SHADES) - 1, round(i * (len(SHADES) - 1) / max(1, len(bins) - 1)))]
        return SHADES[-1]

    parts = [f'<svg class="geomap" viewBox="0 0 {data["width"]:g} {data["height"]:g}" role="img" '
             f'aria-label="{esc("World map shaded by " + label)}" style="width:100%;height:auto;background:#eef4f8">']
    for c in data["countries"]:
        focal = c["code"] == data["focal_country"]
        tip = f"{c['name']} ({c['code']}): {label} {c[key]:,.0f}" + (" (our country)" if focal else "")
        parts.append(f'<path d="{c["d"]}" fill="{shade(c[key])}" stroke="{"#b42318" if focal else "#fff"}" '
                     f'stroke-width="{1.6 if focal else 0.4}"><title>{esc(tip)}</title></path>')
    parts.append("</svg>")
    return "".join(parts)
