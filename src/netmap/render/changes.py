"""The change map: the later network with what the earlier one held and lost, coloured by what changed.

:func:`change_highlights` returns the network to draw (the later snapshot
plus the organisations removed and the ties ended since the earlier one) and
a :class:`~netmap.render.highlights.Highlights` that colours added
organisations and ties green, removed and ended ones red and weakened ties
amber, each with its reason for the tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis.compare import KEY, organisation_changes, tie_changes, tie_identity
from ..errors import ArgumentError
from ..network import Network
from .highlights import Highlights

__all__ = ["CHANGE_COLORS", "LEGEND", "ChangeHighlights", "change_highlights"]

#: Colour per kind of change.
CHANGE_COLORS = {"added": "#1A9850", "ended": "#D7301F", "weakened": "#F28E2B"}
#: Legend lines of the change map: (colour, text).
LEGEND = [
    [CHANGE_COLORS["added"], "green: added since the earlier snapshot"],
    [CHANGE_COLORS["ended"], "red: ended or removed (drawn from the earlier snapshot)"],
    [CHANGE_COLORS["weakened"], "amber: tie weakened (strength fell)"],
]


@dataclass
class ChangeHighlights(Highlights):
    """:class:`~netmap.render.highlights.Highlights` of a change map, with the lines of its legend."""

    legend: list = field(default_factory=lambda: [list(x) for x in LEGEND])


def change_highlights(before: Network, after: Network, *, before_as_of=None, drop: float = 0.2,
                      all_ties: bool = False, highlight: str | None = None) -> tuple[Network, ChangeHighlights]:
    """The network to draw and what to colour for a change map.

    Parameters
    ----------
    before : Network
        The earlier snapshot (its ties active on ``before_as_of`` count,
        every tie with ``all_ties``).
    after : Network
        The later snapshot as it is to be drawn (already filtered by date).
    drop : float (default=0.2)
        A tie whose strength fell by at least this much is "weakened".
    highlight : str, optional
        The map's highlight mode: a change map has its own colours, so any
        other mode is an error.

    Returns
    -------
    (Network, ChangeHighlights)
        ``after`` plus the removed organisations and ended ties, and the
        colours: organisations added (green) and removed (red); ties added
        (green), ended (red) and weakened (amber).

    Examples
    --------
    >>> from netmap import read_network
    >>> net = read_network("sample_data/tiny")
    >>> drawn, hl = change_highlights(net, net.active("2024-06-30"), before_as_of="2020-06-30")
    >>> drawn.n_edges, sorted(hl.edges.values())
    (14, ['#1A9850', '#1A9850', '#D7301F'])
    """
    if highlight is not None:
        raise ArgumentError(f"a change map has its own colours; it does not take the '{highlight}' highlight",
                            param="highlight")
    earlier = before if all_ties else before.active(before_as_of)
    orgs = organisation_changes(before, after)
    ties = tie_changes(earlier, after)
    hl = ChangeHighlights()
    removed = orgs.loc[orgs["change"] == "removed", "id"].tolist()
    for r in orgs.itertuples(index=False):
        if r.change == "added":
            hl.add(r.id, CHANGE_COLORS["added"], f"added: {r.reason}")
        elif r.change == "removed":
            hl.add(r.id, CHANGE_COLORS["ended"], f"removed: {r.reason}")
    for r in ties.itertuples(index=False):
        if r.change == "added":
            hl.edges[(r.source, r.target)] = CHANGE_COLORS["added"]
        elif r.change == "ended":
            hl.edges[(r.source, r.target)] = CHANGE_COLORS["ended"]
        elif r.strength_change == r.strength_change and r.strength_change <= -drop + 1e-9:
            hl.edges[(r.source, r.target)] = CHANGE_COLORS["weakened"]
            for end in (r.source, r.target):
                if end not in hl.nodes:
                    hl.add(end, CHANGE_COLORS["weakened"], f"a tie weakened: {r.reason}")
    ended_keys = ties.loc[ties["change"] == "ended", ["source", "target", "type", "category"]]
    nodes = after.nodes
    if removed:
        extra = before.nodes[before.nodes["id"].isin(set(removed))]
        nodes = pd.concat([nodes, extra], ignore_index=True)
    edges = after.edges
    if len(ended_keys):
        ek = tie_identity(earlier.edges)
        want = set(map(tuple, tie_identity(ended_keys).to_numpy().tolist()))
        mask = np.fromiter((tuple(k) in want for k in ek[KEY].to_numpy().tolist()), dtype=bool, count=len(ek))
        edges = pd.concat([edges, earlier.edges[mask]], ignore_index=True)
    counts = {k: int((ties["change"] == k).sum()) for k in ("added", "ended")}
    weakened = sum(1 for c in hl.edges.values() if c == CHANGE_COLORS["weakened"])
    added_orgs = int((orgs["change"] == "added").sum())
    hl.notes.append(
        f"Change map since the earlier snapshot: {added_orgs:,} organisations and {counts['added']:,} ties added "
        f"(green), {len(removed):,} organisations and {counts['ended']:,} ties ended (red, drawn from the earlier "
        f"snapshot), {weakened:,} ties weakened by {drop:g} or more in strength (amber).")
    drawn = Network(nodes, edges, source=after.source, strength_weights=after.strength_weights,
                    default_strength=after.default_strength)
    return drawn, hl
