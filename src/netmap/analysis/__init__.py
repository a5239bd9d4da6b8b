"""Analyses: pure functions from a Network (and parameters) to DataFrames."""

from .summary import NetworkSummary, summarize

__all__ = ["NetworkSummary", "summarize"]
