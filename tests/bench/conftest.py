"""Benchmarks are selected only by `make bench` (``-m bench``); the default run leaves them out."""
