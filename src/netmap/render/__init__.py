"""Rendering: interactive network maps and the one-command HTML report, self-contained and offline."""

from .layout import layout
from .map import MapData, map_data, render_map, write_map
from .report import Report, report_sections, write_report

__all__ = ["MapData", "map_data", "render_map", "write_map", "layout", "Report", "report_sections", "write_report"]
