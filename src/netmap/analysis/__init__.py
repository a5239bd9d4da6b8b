"""Analyses: pure functions from a Network (and parameters) to DataFrames."""

from .summary import NetworkSummary, summarize

__all__ = ["NetworkSummary", "summarize"]

from .paths import access_table, best_paths, gatekeepers  # noqa: E402

__all__ += ["access_table", "best_paths", "gatekeepers"]

from .opportunities import Backtest, backtest, market_expansion, opportunities  # noqa: E402

__all__ += ["Backtest", "backtest", "market_expansion", "opportunities"]

from .dependency import (  # noqa: E402
    DependencyReport,
    WhatIfResult,
    dependency_ranking,
    dependency_report,
    hidden_concentration,
    sales_channels,
    sales_concentration,
    structural_criticality,
    supply_categories,
    supply_concentration,
    what_if,
)

__all__ += ["DependencyReport", "WhatIfResult", "dependency_ranking", "dependency_report", "hidden_concentration",
            "sales_channels", "sales_concentration", "structural_criticality", "supply_categories",
            "supply_concentration", "what_if"]

from .centrality import centrality  # noqa: E402
from .brokerage import brokerage, burt_constraint  # noqa: E402
from .communities import CommunityResult, communities  # noqa: E402

__all__ += ["centrality", "brokerage", "burt_constraint", "CommunityResult", "communities"]
