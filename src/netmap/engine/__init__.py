"""The graph machinery every analysis shares, one concept per module; arrays in, arrays out.

* :mod:`~netmap.engine.adjacency` -- the one CSR builder (adjacency lists over node positions)
* :mod:`~netmap.engine.reach` -- reachability and breadth-first levels and trees
* :mod:`~netmap.engine.dominators` -- dominator trees, articulation points and bridges
* :mod:`~netmap.engine.condensation` -- strongly connected components and their sources
* :mod:`~netmap.engine.bitsets`, :mod:`~netmap.engine.incidence` -- set kernels
* :mod:`~netmap.engine.pathgraph`, :mod:`~netmap.engine.paths`, :mod:`~netmap.engine.shortest`,
  :mod:`~netmap.engine.widest` -- path search: the graph, one Yen-style driver and its criteria
* :mod:`~netmap.engine.centrality`, :mod:`~netmap.engine.community`, :mod:`~netmap.engine.brokerage`
  -- centrality, Louvain communities and Burt's constraint (NetworKit and scipy, through
  :mod:`~netmap.engine.nk`)

Nothing here imports the rest of netmap: no organisations, no DataFrames.
"""
