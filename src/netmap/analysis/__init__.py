"""Analyses: pure functions from a Network (and parameters) to DataFrames.

One module per question:

* :mod:`~netmap.analysis.summary` -- what is in the network
* :mod:`~netmap.analysis.centrality`, :mod:`~netmap.analysis.brokerage`,
  :mod:`~netmap.analysis.communities` -- who is central, who brokers, which clusters
* :mod:`~netmap.analysis.dependency`, :mod:`~netmap.analysis.whatif` -- single-partner
  dependency and disruption what-if
* :mod:`~netmap.analysis.paths` -- how we reach a capability, market or organisation
* :mod:`~netmap.analysis.opportunities`, :mod:`~netmap.analysis.linkpred` -- whom to approach next

The public functions are also available from the top-level package
(``netmap.centrality``, ``netmap.what_if``, ...). They are not re-exported
here, so that ``netmap.analysis.centrality`` always names the module.
"""
