"""The prologue of every analysis that starts from a focal organisation.

:func:`focal_view` resolves the focal organisation, keeps the ties active on
``as_of`` and returns a :class:`FocalView`; analyses take it (or build it from
their ``network, focal, as_of`` arguments) instead of repeating those steps.
The view also carries a cache, so that several analyses of one view (the
report's sections, say) compute shared work once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import iso_day
from .network import Network

__all__ = ["FocalView", "focal_view"]


@dataclass
class FocalView:
    """One focal organisation's network on one date.

    Attributes
    ----------
    network : Network
        The ties active on :attr:`as_of` (all organisations kept).
    focal : str
        The focal organisation's id.
    as_of : str
        The date, ``YYYY-MM-DD``.
    full : Network
        The network before the date filter.
    cache : dict
        Shared results keyed by the analysis that made them.
    """

    network: Network
    focal: str
    as_of: str
    full: Network
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def position(self) -> int:
        """The focal organisation's row position in ``network.nodes``."""
        return self.network.index[self.focal]

    @property
    def name(self) -> str:
        """The focal organisation's display name."""
        return self.network.name(self.focal)

    def cached(self, key, compute):
        """``compute()`` once per ``key`` for this view."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


def focal_view(network: Network | FocalView, focal: str | None = None, as_of=None, *,
               all_ties: bool = False) -> FocalView:
    """Resolve the focal organisation and keep the ties active on ``as_of`` (default: today).

    ``focal`` defaults to the organisation marked focal in the data;
    ``all_ties=True`` keeps every tie whatever its dates. A :class:`FocalView`
    passed in is returned as it is when it matches the arguments.

    >>> import netmap
    >>> v = focal_view(netmap.read_network("sample_data/tiny"), as_of="2024-06-30")
    >>> v.focal, v.as_of
    ('F1', '2024-06-30')
    """
    if isinstance(network, FocalView):
        same = (focal is None or focal == network.focal) and (as_of is None or iso_day(as_of) == network.as_of)
        if same:
            return network
        network = network.full
    focal = network.resolve_focal(focal)
    day = iso_day(as_of)
    active = network if all_ties else network.active(day)
    return FocalView(active, focal, day, network)
