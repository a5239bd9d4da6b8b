"""Rendering: interactive network maps and the one-command HTML report, self-contained and offline."""

from .layout import layout
from .map import MapData, map_data, render_map, write_map
from .report import Report, report_sections, write_report

__all__ = ["MapData", "Report", "layout", "map_data", "render_map", "report_sections", "write_map", "write_report"]
