"""Hostile and damaged variants of the committed model fixtures (issue 20).

`variants.py` generates them (seeded); `run.py` runs each through the
readers of model files in worker processes and counts the outcomes;
`tests/test_hostile_files.py` runs a sample of every kind in `make test`.
"""
