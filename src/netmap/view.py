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
from .errors import ArgumentError
from .network import Network

__all__ = ["FocalView", "focal_view", "active_network"]


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
        """The focal organisation's row position in ``network.nodes`` (the date filter keeps every organisation)."""
        return self.full.index[self.focal]

    @property
    def name(self) -> str:
        """The focal organisation's display name."""
        return self.full.name(self.focal)

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
    return FocalView(active_network(network, day, all_ties=all_ties), focal, day, network)


def active_network(network: Network, as_of=None, *, all_ties: bool = False) -> Network:
    """The ties active on ``as_of`` (default: today); every tie with ``all_ties``.

    Raises :class:`~netmap.errors.ArgumentError` when the network has ties
    but none is active on that date, naming the dates the ties run between
    and a date to try, instead of answering every question with an empty table.
    """
    if all_ties:
        return network
    day = iso_day(as_of)
    active = network.active(day)
    if active.n_edges or not network.n_edges:
        return active
    e = network.edges
    first = e["since"].min() if e["since"].notna().all() else None
    last = e["until"].max() if e["until"].notna().all() else None
    start = first.date().isoformat() if first is not None else "open start"
    end = last.date().isoformat() if last is not None else "open end"
    if last is not None and last.date().isoformat() < day:
        try_day = end
    else:
        try_day = e["since"].dropna().min().date().isoformat()
    raise ArgumentError(
        f"no tie is active on {day}; the ties run from {start} to {end}: analyse a date in that range, "
        f"e.g. {try_day}", param="as_of")
