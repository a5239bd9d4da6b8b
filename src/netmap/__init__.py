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
]
