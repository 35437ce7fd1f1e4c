"""Benchmarks for news-geotimeline: `make bench` (python -m bench). See bench/README.md."""
