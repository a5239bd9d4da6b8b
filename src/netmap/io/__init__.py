"""Reading and writing the data directory (the embedded file store)."""

from .reader import locate_tables, read_network, validate_directory

__all__ = ["read_network", "validate_directory", "locate_tables"]
