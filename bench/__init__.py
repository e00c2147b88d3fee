"""Benchmarks (``make bench``): figures to read, never assertions in the test suite."""
