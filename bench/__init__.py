"""Benchmarks of Stoplicht (not part of the tests): `python -m bench`, results in RESULTATEN.md."""
