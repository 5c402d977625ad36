"""Every benchmark case: one per string id (cases.py), then one per layer (layer_cases.py).

The case tables import one way: catalog -> layer_cases -> cases.
"""

from benchmarks.cases import function_cases
from benchmarks.layer_cases import layer_cases


def all_cases():
    return function_cases() + layer_cases()
