"""The data contract: roles, tie types and the columns of the two input tables.

Everything that names a role, a tie type or a column comes from here, so the
reader, the analyses and the Neo4j store share one validated vocabulary.
"""

from __future__ import annotations

__all__ = [
    "ROLES",
    "ROLE_LABELS",
    "TIE_TYPES",
    "SYMMETRIC_TYPES",
    "DIRECTED_TYPES",
    "QUALITIES",
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "DERIVED_EDGE_COLUMNS",
    "NODE_TABLE_COLUMNS",
    "EDGE_TABLE_COLUMNS",
    "LIST_COLUMNS",
    "NODE_NUMBER_COLUMNS",
    "NODE_TEXT_COLUMNS",
    "DATE_COLUMNS",
    "DEFAULT_STRENGTH",
    "ORGANIZATIONS",
    "RELATIONSHIPS",
]

#: Names of the two tables (CSV file stem or workbook sheet name).
ORGANIZATIONS = "organizations"
RELATIONSHIPS = "relationships"

#: Roles an organisation can have, in display order.
ROLES: tuple[str, ...] = ("firm", "supplier", "distributor", "research_partner", "customer")

#: Neo4j label for each role (one extra label per role on ``:Organization``).
ROLE_LABELS: dict[str, str] = {
    "firm": "Firm",
    "supplier": "Supplier",
    "distributor": "Distributor",
    "research_partner": "ResearchPartner",
    "customer": "Customer",
}

#: Tie types. Directed ones point downstream, the way goods and services flow.
TIE_TYPES: tuple[str, ...] = (
    "SUPPLIES",
    "SELLS_THROUGH",
    "SELLS_TO",
    "COLLABORATES_WITH",
    "PARTNERS_WITH",
)
DIRECTED_TYPES: frozenset[str] = frozenset({"SUPPLIES", "SELLS_THROUGH", "SELLS_TO"})
#: Symmetric tie types are stored once and read both ways.
SYMMETRIC_TYPES: frozenset[str] = frozenset({"COLLABORATES_WITH", "PARTNERS_WITH"})

#: The four qualities of a business relationship, each in [0, 1].
QUALITIES: tuple[str, ...] = ("trust", "communication", "commitment", "mutual_benefit")

#: Strength of a tie that records none of the four qualities: a neutral prior,
#: neither trusted nor distrusted. Configurable per read.
DEFAULT_STRENGTH = 0.5

#: Columns of the organisations table: name -> (required, kind).
NODE_COLUMNS: dict[str, tuple[bool, str]] = {
    "id": (True, "id"),
    "name": (True, "text"),
    "roles": (True, "roles"),
    "focal": (False, "bool"),
    "country": (False, "text"),
    "region": (False, "text"),
    "industry": (False, "text"),
    "capabilities": (False, "list"),
    "markets": (False, "list"),
    "revenue": (False, "number>=0"),
    "employees": (False, "number>=0"),
    "clv": (False, "number>=0"),
    "satisfaction": (False, "number0-10"),
    "risk": (False, "number0-1"),
}

#: Columns of the relationships table: name -> (required, kind).
EDGE_COLUMNS: dict[str, tuple[bool, str]] = {
    "source": (True, "ref"),
    "target": (True, "ref"),
    "type": (True, "type"),
    "value": (False, "number>=0"),
    "category": (False, "text"),
    "trust": (False, "number0-1"),
    "communication": (False, "number0-1"),
    "commitment": (False, "number0-1"),
    "mutual_benefit": (False, "number0-1"),
    "since": (False, "date"),
    "until": (False, "date"),
    "exclusive": (False, "bool"),
}

#: Columns netmap adds to each tie: the derived strength, whether the type is
#: symmetric, and the input row (for explanations and error messages).
DERIVED_EDGE_COLUMNS: tuple[str, ...] = ("strength", "symmetric", "row")

#: Column order of ``Network.nodes`` and ``Network.edges``.
NODE_TABLE_COLUMNS: tuple[str, ...] = tuple(NODE_COLUMNS)
EDGE_TABLE_COLUMNS: tuple[str, ...] = (*EDGE_COLUMNS, *DERIVED_EDGE_COLUMNS)

#: Organisation columns that hold ``;``-separated lists (tuples in the Network).
LIST_COLUMNS: tuple[str, ...] = tuple(c for c, (_, k) in NODE_COLUMNS.items() if k in ("roles", "list"))
#: Numeric organisation columns.
NODE_NUMBER_COLUMNS: tuple[str, ...] = tuple(c for c, (_, k) in NODE_COLUMNS.items() if k.startswith("number"))
#: Free-text organisation columns.
NODE_TEXT_COLUMNS: tuple[str, ...] = tuple(c for c, (_, k) in NODE_COLUMNS.items() if k == "text" and c != "name")
#: Date columns of ties.
DATE_COLUMNS: tuple[str, ...] = tuple(c for c, (_, k) in EDGE_COLUMNS.items() if k == "date")
