"""The report's sections, one module per theme; :data:`BUILDERS` maps a section key to its builder."""

from .base import ReportContext, Section
from .changes import changes_section
from .findings import findings_section
from .geography import geography_section
from .network import brokers_section, central_section, summary_section
from .portfolio import portfolio_section
from .reach import access_section, opportunities_section
from .risks import risks_section, whatif_section

#: Section key -> function(ReportContext) -> Section.
BUILDERS = {
    "findings": findings_section,
    "changes": changes_section,
    "summary": summary_section,
    "central": central_section,
    "brokers": brokers_section,
    "risks": risks_section,
    "whatif": whatif_section,
    "access": access_section,
    "opportunities": opportunities_section,
    "portfolio": portfolio_section,
    "geography": geography_section,
}

__all__ = ["BUILDERS", "ReportContext", "Section"]
