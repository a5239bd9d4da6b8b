"""What a map's data costs: native values go to JSON as they are, each distinct figure is formatted once,
and the workbook's text columns are made safe column-wise -- with the same text as converting every value."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from netmap.export import excel
from netmap.export.safety import neutralize, safe_frame, show_controls
from netmap.render import assets, visdata
from netmap.render.highlights import Highlights
from netmap.values import plain, show_bidi


def _old_way(obj) -> str:
    """The JSON of ``plain(obj)`` made script-safe, as the page has always held it."""
    text = json.dumps(plain(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = show_bidi(text)
    for ch, rep in {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}.items():
        text = text.replace(ch, rep)
    return text


def test_script_json_writes_native_values_without_converting_each(monkeypatch):
    calls = []
    monkeypatch.setattr(assets, "plain", lambda v, **kw: calls.append(v) or plain(v, **kw))
    native = {"nodes": [{"id": f"o{i}", "x": i / 3, "nm": {"hl": i % 2 == 0, "roles": ["supplier"], "n": i}}
                        for i in range(50)], "title": "</script> & \u2028"}
    assert assets.script_json(native) == _old_way(native)
    assert calls == []  # before: the whole payload went through plain(), value by value


def test_script_json_gives_numpy_pandas_nan_and_sets_as_plain_does():
    awkward = {"a": np.int64(3), "b": np.float64("nan"), "c": (1.5, np.float32(0.25)), "d": {"z", "y"},
               "e": pd.Timestamp("2024-01-31"), "f": np.bool_(True), "g": float("inf"), "h": dt.date(2024, 2, 1),
               "i": np.array([1, 2]), "j": pd.NA, "k": [np.float64(0.1), -0.0], 5: "int key"}
    got = assets.script_json(awkward)
    assert got == _old_way(awkward)
    assert json.loads(got) == {"a": 3, "b": None, "c": [1.5, 0.25], "d": ["y", "z"], "e": "2024-01-31", "f": True,
                               "g": None, "h": "2024-02-01", "i": [1, 2], "j": None, "k": [0.1, -0.0], "5": "int key"}


def test_map_figures_are_formatted_once_per_distinct_value(tiny, monkeypatch):
    calls = []
    real = visdata.fmt_number
    monkeypatch.setattr(visdata, "fmt_number", lambda x, *a: calls.append(x) or real(x, *a))
    edges = visdata.vis_edges(tiny, Highlights(), big=False)
    e = tiny.edges
    assert [r["nm"]["value"] for r in edges] == [real(v) for v in e["value"]]
    assert [r["nm"]["strength"] for r in edges] == [real(round(float(s), 3)) for s in e["strength"]]
    distinct = e["value"].nunique(dropna=False) + e["strength"].nunique(dropna=False)
    assert len(calls) <= distinct < 2 * len(e)  # before: two calls a tie


def test_negative_zero_keeps_its_own_text():
    values = pd.Series([0.0, -0.0, float("nan"), 0.0, 2.5, None], dtype=float)
    assert visdata._formatted(values) == [visdata.fmt_number(v) for v in values.tolist()]
    days = pd.Series(pd.to_datetime(["2024-01-02", None, "1899-12-31", "2024-01-02"]))
    assert visdata._formatted(days, lambda d: "" if pd.isna(d) else d.date().isoformat()) == \
        ["2024-01-02", "", "1899-12-31", "2024-01-02"]


def test_text_columns_are_made_safe_column_wise_with_the_same_cells():
    s = pd.Series(["=1+1", "", None, float("nan"), "a\x1bb", "<r>x</r>", "-3", "plain", "\tx", "@SUM(A1)"])
    values, kind = excel._column(s)
    expected = [None if (pd.isna(v) or v == "") else neutralize(show_controls(v)) for v in s]
    assert values == expected
    assert kind == "any"  # rich-looking text is written in fragments
    values, kind = excel._column(s.iloc[:5])
    assert values == expected[:5] and kind == "text"  # plain text: xlsxwriter's write_string, no per-cell dispatch
    df = pd.DataFrame({"t": s.astype(object), "n": range(len(s))})
    safe = safe_frame(df)
    assert safe["t"].tolist()[:2] == ["'=1+1", ""] and safe["t"].tolist()[6] == "'-3"
    assert safe["t"].tolist()[8:] == ["'\tx", "'@SUM(A1)"] and safe["n"].tolist() == list(range(len(s)))


def test_maps_of_one_report_that_keep_the_same_organisations_share_their_layout(tiny, monkeypatch):
    import importlib

    from netmap.render.map import map_data

    layout_mod = importlib.import_module("netmap.render.layout")

    calls = []
    real = layout_mod.layout
    monkeypatch.setattr(layout_mod, "layout", lambda net, **kw: calls.append(net.n_nodes) or real(net, **kw))
    cache: dict = {}
    plain_map = map_data(tiny, size="degree", physics_max_nodes=0, cache=cache, as_of="2024-06-30")
    risks = map_data(tiny, size="degree", highlight="risks", focal="F1", physics_max_nodes=0, cache=cache,
                     as_of="2024-06-30")
    alone = map_data(tiny, size="degree", highlight="risks", focal="F1", physics_max_nodes=0, as_of="2024-06-30")
    assert calls == [plain_map.n_nodes, alone.n_nodes]  # the second map of the report reused the first's layout
    assert [(n["id"], n["x"], n["y"]) for n in risks.nodes] == [(n["id"], n["x"], n["y"]) for n in alone.nodes]
    assert [(n["x"], n["y"]) for n in risks.nodes] == [(n["x"], n["y"]) for n in plain_map.nodes]
