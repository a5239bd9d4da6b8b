"""Analyses: pure functions from a Network (and parameters) to a :class:`~netmap.result.Result`.

One module per question:

* :mod:`~netmap.analysis.summary` -- what is in the network
* :mod:`~netmap.analysis.centrality`, :mod:`~netmap.analysis.brokerage`,
  :mod:`~netmap.analysis.communities` -- who is central, who brokers, which clusters
* :mod:`~netmap.analysis.concentration` (supply and sales concentration),
  :mod:`~netmap.analysis.upstream` (hidden concentration upstream),
  :mod:`~netmap.analysis.criticality` (articulation points and bridges),
  :mod:`~netmap.analysis.whatif` (what the focal loses if partners fail, and the ranking),
  :mod:`~netmap.analysis.dependency` (all of them as one report) -- single-partner dependency
* :mod:`~netmap.analysis.paths` -- how we reach a capability, market or organisation
* :mod:`~netmap.analysis.opportunities`, :mod:`~netmap.analysis.markets`,
  :mod:`~netmap.analysis.backtest` -- whom to approach next, which markets, and how well it predicts

Shared by several of them: :mod:`~netmap.analysis.flows` (the focal's supply, sales and network
flows), :mod:`~netmap.analysis.candidates` (the candidate index behind the shortlist),
:mod:`~netmap.analysis.linkpred` (link-prediction scores) and :mod:`~netmap.analysis.common`
(weights and roles). Graph kernels live in :mod:`netmap.engine`.

The public functions are imported from the top-level package (``netmap.centrality``,
``netmap.what_if``, ...); they are not re-exported here, so that ``netmap.analysis.centrality``
always names the module.
"""
