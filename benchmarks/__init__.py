"""keras_act's benchmark: speed and memory against Keras's built-ins.

Run it with `make benchmark` (or `python -m benchmarks.run`); it writes
benchmarks/RESULTS.md and benchmarks/results.json. Not part of `make test`;
tests/test_benchmark_smoke.py runs the same code on tiny sizes.
"""
