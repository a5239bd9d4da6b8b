"""netmap: map and analyse a company's business network.

Read a data directory into a :class:`Network`, then ask it questions; every
analysis returns a :class:`Result` (``.table``, ``result["name"]``, ``.meta``).

>>> import netmap
>>> net = netmap.read_network("sample_data/tiny")
>>> netmap.summarize(net).metric("organisations")
10
>>> netmap.centrality(net, top=3).table["id"].tolist()
['F1', 'C1', 'D1']
"""

from .analysis.summary import NetworkSummary, summarize
from .errors import ArgumentError, DataError, NetmapError, NodeNotFound, Problem, StoreError, ValidationError
from .io.reader import read_network, validate_directory
from .network import Network, relationship_strength
from .result import Result
from .view import FocalView, focal_view

__version__ = "0.1.0"

#: Public analysis functions -> their module under netmap.analysis, imported on first use so that
#: ``import netmap`` stays quick.
_LAZY = {
    "centrality": "centrality",
    "brokerage": "brokerage",
    "burt_constraint": "brokerage",
    "communities": "communities",
    "CommunityResult": "communities",
    "supply_concentration": "concentration",
    "supply_categories": "concentration",
    "sales_concentration": "concentration",
    "sales_channels": "concentration",
    "hhi": "concentration",
    "hidden_concentration": "upstream",
    "structural_criticality": "criticality",
    "dependency_report": "dependency",
    "DependencyReport": "dependency",
    "dependency_ranking": "whatif",
    "what_if": "whatif",
    "WhatIfResult": "whatif",
    "flow_model": "flows",
    "FlowModel": "flows",
    "best_paths": "paths",
    "access_table": "paths",
    "gatekeepers": "paths",
    "opportunities": "opportunities",
    "market_expansion": "markets",
    "backtest": "backtest",
    "Backtest": "backtest",
    "link_scores": "linkpred",
    "portfolio": "portfolio",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".analysis.{_LAZY[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'netmap' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Network",
    "read_network",
    "validate_directory",
    "relationship_strength",
    "summarize",
    "NetworkSummary",
    "Result",
    "FocalView",
    "focal_view",
    "NetmapError",
    "ArgumentError",
    "DataError",
    "ValidationError",
    "NodeNotFound",
    "StoreError",
    "Problem",
    "__version__",
    *_LAZY,
]
