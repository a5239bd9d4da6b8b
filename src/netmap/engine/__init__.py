"""Compute engines behind the analyses: conversions from a Network to fast graph libraries."""

from .convert import to_networkit

__all__ = ["to_networkit"]
