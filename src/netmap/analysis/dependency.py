"""Partner dependency: how dependent a focal organisation is on single partners, every table at once.

:func:`dependency_report` computes, over one model of the focal
organisation's network, the tables of the dependency analyses, each also a
function of its own module:

* :func:`~netmap.analysis.concentration.supply_concentration` /
  :func:`~netmap.analysis.concentration.supply_categories` -- each
  supplier's share of spend per input category, and the HHI;
* :func:`~netmap.analysis.concentration.sales_concentration` /
  :func:`~netmap.analysis.concentration.sales_channels` -- each customer's and
  distributor's share of sales;
* :func:`~netmap.analysis.upstream.hidden_concentration` -- organisations
  further upstream on which several tier-1 suppliers depend;
* :func:`~netmap.analysis.criticality.structural_criticality` --
  articulation points and bridges of the focal's network;
* :func:`~netmap.analysis.whatif.dependency_ranking` (and
  :func:`~netmap.analysis.whatif.what_if`) -- what the focal loses when
  partners fail.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ..checks import choice, whole_number
from ..network import Network
from ..result import Result
from ..view import FocalView, focal_view
from . import concentration, criticality, upstream, whatif
from .concentration import sales_concentration, supply_categories, supply_concentration
from .criticality import structural_criticality
from .upstream import hidden_concentration
from .risk import with_risk
from .whatif import RANK_BY, dependency_ranking

__all__ = ["dependency_report", "DependencyReport"]


class DependencyReport(Result):
    """Everything :func:`dependency_report` computes for one focal organisation.

    A :class:`~netmap.result.Result` whose tables (each also an attribute)
    are, in reading order:

    ========== ==========================================================
    categories :func:`~netmap.analysis.concentration.supply_categories`
    supply     :func:`~netmap.analysis.concentration.supply_concentration`
    channels   :func:`~netmap.analysis.concentration.sales_channels`
    sales      :func:`~netmap.analysis.concentration.sales_concentration`
    hidden     :func:`~netmap.analysis.upstream.hidden_concentration`
    critical   :func:`~netmap.analysis.criticality.structural_criticality`
    ranking    :func:`~netmap.analysis.whatif.dependency_ranking` (the main table)
    ========== ==========================================================

    ``focal`` and ``as_of`` are those of ``meta``.
    """

    #: Section names in reading order.
    SECTIONS = ("categories", "supply", "channels", "sales", "hidden", "critical", "ranking")
    #: A heading per section.
    TITLES = {
        **concentration.TITLES,
        "hidden": upstream.TITLE,
        "critical": criticality.TITLE,
        "ranking": whatif.RANKING_TITLE,
    }

    focal = property(lambda self: self.meta["focal"], doc="The focal organisation's id.")
    as_of = property(lambda self: self.meta["as_of"], doc="The date, ``YYYY-MM-DD``.")
    categories = property(lambda self: self["categories"], doc="Supply concentration per input category.")
    supply = property(lambda self: self["supply"], doc="Suppliers' share per input category.")
    channels = property(lambda self: self["channels"], doc="Sales concentration per channel.")
    sales = property(lambda self: self["sales"], doc="Customers' and distributors' share of sales.")
    hidden = property(lambda self: self["hidden"], doc="Hidden upstream concentration.")
    critical = property(lambda self: self["critical"], doc="Articulation points and bridges.")
    ranking = property(lambda self: self["ranking"], doc="Partners ranked by what their loss would cost.")

    def node_table(self, ids=None) -> pd.DataFrame:
        """One row per organisation, with the figures worth storing on it (e.g. as Neo4j properties).

        Parameters
        ----------
        ids : iterable of str, optional
            Organisations to include (e.g. every id of the network, so that
            figures stored by an earlier run are cleared); by default those
            that appear in any table.

        Returns
        -------
        DataFrame
            ``id``, ``dependency_rank``, ``value_at_risk``, ``single_source``
            (sole supplier of an input category), ``hidden_tier1_count``,
            ``articulation_point``, ``organisations_cut_off``; NaN where an
            organisation has no such figure, False for the flags.
        """
        parts = []
        r = self.ranking
        if len(r):
            parts.append(pd.DataFrame({"id": r["id"], "dependency_rank": r["rank"].astype(float),
                                       "value_at_risk": r["value_at_risk"]}))
        s = self.supply
        if len(s):
            ss = s.groupby("supplier")["single_source"].any()
            parts.append(pd.DataFrame({"id": ss.index, "single_source": ss.to_numpy(dtype=bool)}))
        h = self.hidden
        if len(h):
            parts.append(pd.DataFrame({"id": h["id"], "hidden_tier1_count": h["tier1_count"].astype(float)}))
        c = self.critical
        if len(c):
            parts.append(pd.DataFrame({"id": c["id"], "articulation_point": c["articulation_point"].astype(bool),
                                       "organisations_cut_off": c["organisations_cut_off"].astype(float)}))
        cols = ["id", "dependency_rank", "value_at_risk", "single_source", "hidden_tier1_count",
                "articulation_point", "organisations_cut_off"]
        if ids is not None:
            parts.insert(0, pd.DataFrame({"id": pd.Series(list(ids), dtype=object)}))
        if not parts:
            return pd.DataFrame(columns=cols)
        out = parts[0]
        for p in parts[1:]:
            out = out.merge(p, on="id", how="outer")
        for col in cols:
            if col not in out.columns:
                out[col] = np.nan
        for col in ("single_source", "articulation_point"):
            out[col] = out[col].astype("boolean").fillna(False).astype(bool)
        return out[cols].sort_values("id", kind="stable").reset_index(drop=True)


def dependency_report(
    network: Network | FocalView,
    focal: str | None = None,
    *,
    as_of: _dt.date | str | None = None,
    min_tier1: int = 2,
    by: str = "impact",
) -> DependencyReport:
    """All dependency tables for one focal organisation, sharing one model of its network.

    Parameters
    ----------
    network : Network or FocalView
    focal : str or None
        The focal organisation; ``None`` for the one marked focal.
    as_of : date or str, optional (default=today)
        Only ties active on this date count.
    min_tier1 : int (default=2)
        As in :func:`~netmap.analysis.upstream.hidden_concentration`.
    by : str (default="impact")
        As in :func:`~netmap.analysis.whatif.dependency_ranking`.

    Returns
    -------
    DependencyReport
        The seven tables (see :class:`DependencyReport`); ``meta`` holds the
        definitions behind all of them.

    Raises
    ------
    ArgumentError
        For ``min_tier1`` below 1, an unknown ``by`` or a bad ``as_of``.

    Examples
    --------
    >>> from netmap import read_network
    >>> rep = dependency_report(read_network("sample_data/tiny"), "F1", as_of="2024-06-30")
    >>> rep.ranking["id"].iloc[0], rep.hidden["id"].iloc[0]
    ('S3', 'T1')
    """
    min_tier1 = whole_number(min_tier1, "min_tier1", minimum=1)
    by = choice(by, "by", RANK_BY, what="ranking order")
    view = focal_view(network, focal, as_of)
    sales = sales_concentration(view)
    ranking = dependency_ranking(view, by=by)
    tables = {
        "categories": supply_categories(view).table,
        "supply": supply_concentration(view).table,
        "channels": sales["channels"],
        "sales": sales["sales"],
        "hidden": hidden_concentration(view, min_tier1=min_tier1, max_ids=25).table,
        "critical": structural_criticality(view, max_ids=10).table,
        "ranking": with_risk(view, ranking.table),
    }
    meta = dict(ranking.meta) | {
        "hhi": sales.meta["hhi"],
        "share": sales.meta["share"],
        "tier": "tier-1 = SUPPLIES tie into the focal; tier-n = n SUPPLIES hops upstream",
        "spend_through": "the focal's whole spend with every dependent tier-1 supplier (an upper bound)",
        "min_tier1": min_tier1,
    }
    return DependencyReport(tables, meta, titles=dict(DependencyReport.TITLES), main="ranking")
