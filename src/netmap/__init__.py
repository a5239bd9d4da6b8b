"""netmap: map and analyse a company's business network.

>>> import netmap
>>> net = netmap.read_network("sample_data/tiny")
>>> netmap.summarize(net).metric("organisations")
10
"""

from .analysis.summary import NetworkSummary, summarize
from .errors import DataError, NetmapError, NodeNotFound, Problem, StoreError, ValidationError
from .io.reader import read_network, validate_directory
from .network import Network, relationship_strength

__version__ = "0.1.0"

#: Public analysis functions, imported on first use so that ``import netmap`` stays quick.
_LAZY = {
    "centrality": "centrality",
    "brokerage": "brokerage",
    "burt_constraint": "brokerage",
    "communities": "communities",
    "CommunityResult": "communities",
    "supply_concentration": "dependency",
    "supply_categories": "dependency",
    "sales_concentration": "dependency",
    "sales_channels": "dependency",
    "hidden_concentration": "dependency",
    "structural_criticality": "dependency",
    "dependency_ranking": "dependency",
    "dependency_report": "dependency",
    "DependencyReport": "dependency",
    "what_if": "dependency",
    "WhatIfResult": "dependency",
    "best_paths": "paths",
    "access_table": "paths",
    "gatekeepers": "paths",
    "opportunities": "opportunities",
    "market_expansion": "opportunities",
    "backtest": "opportunities",
    "Backtest": "opportunities",
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
    "NetmapError",
    "DataError",
    "ValidationError",
    "NodeNotFound",
    "StoreError",
    "Problem",
    "__version__",
    *_LAZY,
]
