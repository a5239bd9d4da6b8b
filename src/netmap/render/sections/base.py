"""What every report section shares: the :class:`Section` it returns and the :class:`ReportContext` it reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...network import Network
from ...view import FocalView, focal_view


@dataclass
class Section:
    """One part of the report: its HTML and the tables behind it (exported in full)."""

    key: str
    title: str
    html: str
    tables: dict = field(default_factory=dict)
    lead: str = ""
    meta: dict = field(default_factory=dict)  # the choices behind the tables (the analysis' Result meta)


@dataclass
class ReportContext:
    """What the sections of one report share: the network, the focal organisation and one cache.

    Each analysis runs once per report: a section asks :meth:`cached` for it,
    and the next section, the findings and the maps get the same result.
    """

    network: Network
    focal: str
    top: int = 10
    as_of: object = None
    before: Network | None = None  # the earlier snapshot, when the report compares two
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def view(self) -> FocalView:
        """The focal view of the ties active on ``as_of`` (built once)."""
        return self.cached("view", lambda: focal_view(self.network, self.focal, self.as_of))

    @property
    def before_as_of(self):
        """The date the earlier snapshot's name stands for (``history/2024-06-30``, ``2024``), else None."""
        if self.before is None or not self.before.source:
            return None
        from pathlib import Path

        from ...history import snapshot_date

        return snapshot_date(Path(self.before.source).name)

    def cached(self, key, compute):
        """``compute()`` the first time ``key`` is asked for, the stored result afterwards."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]
