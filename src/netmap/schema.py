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
