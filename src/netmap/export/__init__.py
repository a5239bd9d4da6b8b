"""Writing results and networks: text tables, CSV, JSON, Excel, GraphML and GEXF.

:func:`write_result` is the one table writer behind every command's
``--format`` and ``-o``; :func:`write_graph` writes the network for Gephi,
yEd or Cytoscape.
"""

from .excel import write_workbook, write_xlsx
from .files import atomic_path, building_directory, write_text_file
from .graph import GRAPH_FORMATS, write_graph
from .safety import neutralize, safe_frame, visible
from .tables import FORMATS, format_for, render_result, render_table, to_json_records, write_result, write_table

__all__ = ["FORMATS", "GRAPH_FORMATS", "write_result", "write_table", "render_result", "render_table",
           "to_json_records", "format_for", "write_workbook", "write_xlsx", "write_graph", "neutralize",
           "safe_frame", "visible", "atomic_path", "building_directory", "write_text_file"]
