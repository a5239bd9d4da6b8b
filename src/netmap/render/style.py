"""How maps look: colours by role and category, line styles by tie type, highlight colours, size labels."""

from __future__ import annotations

__all__ = [
           "CATEGORICAL",
           "COLOR_BY",
           "DASH_MAX_EDGES",
           "FADED",
           "HIGHLIGHTS",
           "LABELS_SHOWN",
           "LABEL_CHARS",
           "MAX_NODES",
           "NAME_CHARS",
           "OPPORTUNITY_COLOR",
           "OTHER_COLOR",
           "PATH_COLOR",
           "PHYSICS_MAX_NODES",
           "RISK_COLOR",
           "RISK_MAX",
           "ROLE_COLORS",
           "SIZE_BY",
           "SIZE_LABELS",
           "TEXT_CHARS",
           "TIE_STYLES",
           "TIP_BETWEENNESS_MAX",
]

COLOR_BY = ("role", "community", "country")
SIZE_BY = ("pagerank", "betweenness", "value", "degree")
HIGHLIGHTS = ("risks", "path", "opportunities", "portfolio")

#: Maps with at most this many organisations are laid out by vis-network's physics in the browser.
PHYSICS_MAX_NODES = 1000
#: Maps with more organisations than this are reduced (see ``reduce``) before drawing.
MAX_NODES = 5000
#: Names drawn at every zoom: the focal, the highlighted and this many of the largest organisations; the
#: other names appear when zoomed in (and on hover, in the tooltip).
LABELS_SHOWN = 12
#: Above this many ties every tie is drawn solid (types told apart by colour): dashed lines cost the
#: browser most of a frame's time.
DASH_MAX_EDGES = 400
#: Most dependency risks highlighted on a map, most severe first; the page says how many more there are.
RISK_MAX = 25
#: Largest network whose tooltips show a sampled betweenness estimate when the map is sized by PageRank.
TIP_BETWEENNESS_MAX = 20000

#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
ROLE_COLORS = {
    "firm": "#0072B2",
    "supplier": "#E69F00",
    "distributor": "#009E73",
    "research_partner": "#CC79A7",
    "customer": "#56B4E9",
}
#: Colours for countries and communities, most frequent first; the rest are grey.
CATEGORICAL = [
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948",
    "#B07AA1", "#FF9DA7", "#9C755F", "#8CD17D", "#499894", "#D37295",
]
OTHER_COLOR = "#BAB0AC"
FADED = "rgba(200,200,200,0.35)"
#: Per tie type: colour, dash pattern (vis-network ``dashes``; ``False`` solid), arrow.
TIE_STYLES = {
    "SUPPLIES": {"color": "#8C6D31", "dashes": False, "label": "supplies (goods flow →)"},
    "SELLS_THROUGH": {"color": "#3A7DC9", "dashes": [10, 6], "label": "sells through (distributor)"},
    "SELLS_TO": {"color": "#2A9D8F", "dashes": [3, 5], "label": "sells to (customer)"},
    "COLLABORATES_WITH": {"color": "#9467BD", "dashes": [12, 4, 3, 4], "label": "collaborates with (research)"},
    "PARTNERS_WITH": {"color": "#6C757D", "dashes": [6, 3], "label": "partners with (alliance)"},
}
RISK_COLOR = "#D7301F"
PATH_COLOR = "#6A00A8"
OPPORTUNITY_COLOR = "#1A9850"
SIZE_LABELS = {"pagerank": "PageRank", "betweenness": "betweenness", "value": "total tie value", "degree": "partners (degree)"}

#: Longest node label drawn on a map; a longer name is cut (the tooltip and details show it whole).
LABEL_CHARS = 40
#: Longest name inside a title, a note or a reason on a page; the tooltip or table beside it holds it whole.
NAME_CHARS = 80
#: Longest explanation (a reason, a path) inside a note or a tooltip line; the exported tables hold it whole.
TEXT_CHARS = 400
