"""Benchmark at national scale (issue 7): bench/generate.py writes the data, bench/run.py measures."""
