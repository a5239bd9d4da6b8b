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

__version__ = "0.1.0"

#: The core names -> the module under netmap that defines each. Like the analysis functions below, each is
#: imported on first use, so that ``import netmap`` (and so ``netmap --help``) does not pay for pandas;
#: ``from netmap import X`` works as usual.
_CORE = {
    "Network": "network",
    "relationship_strength": "network",
    "read_network": "io.reader",
    "validate_directory": "io.reader",
    "summarize": "analysis.summary",
    "NetworkSummary": "analysis.summary",
    "Result": "result",
    "FocalView": "view",
    "focal_view": "view",
    "NetmapError": "errors",
    "ArgumentError": "errors",
    "DataError": "errors",
    "ValidationError": "errors",
    "NodeNotFound": "errors",
    "StoreError": "errors",
    "Problem": "errors",
    "compare": "history",
    "trend": "history",
}

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
    "best_access": "paths",
    "gatekeepers": "paths",
    "opportunities": "opportunities",
    "market_expansion": "markets",
    "backtest": "backtest",
    "Backtest": "backtest",
    "link_scores": "linkpred",
    "portfolio": "portfolio",
    "exposure": "exposure",
    "scenario_table": "scenarios",
    "effective_risk": "risk",
}


def __getattr__(name: str):
    if name in _CORE or name in _LAZY:
        import importlib

        where = _CORE[name] if name in _CORE else f"analysis.{_LAZY[name]}"
        module = importlib.import_module(f".{where}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'netmap' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | set(_CORE) | set(_LAZY))


__all__ = [*_CORE, "__version__", *_LAZY]
