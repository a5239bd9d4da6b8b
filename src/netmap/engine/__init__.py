"""Compute engines behind the analyses: the heavy kernels (NetworKit, scipy) in :mod:`.kernels`."""
