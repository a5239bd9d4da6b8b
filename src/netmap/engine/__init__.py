"""The graph machinery every analysis shares, one concept per module: adjacency, reach, dominators, centrality, community and brokerage kernels."""
