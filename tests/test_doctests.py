"""The examples in the docstrings run as written.

Every module that defines a public function or layer (found from the
`__all__` lists, so a new module is doctested without being listed here) is
run with `np`, `keras` and `keras_act` in its namespace and numpy's default
print options, on whatever backend the suite runs (the examples convert
tensors with `keras.ops.convert_to_numpy` and feed float32 arrays, so they
read the same on every backend).
"""

import doctest
import importlib

import keras
import numpy as np
import pytest

import keras_act
from tests.test_docstrings import PUBLIC

MODULES = sorted(
    {obj.__module__ for _, _, obj in PUBLIC} | {"keras_act._suggest", "keras_act.experiments", "keras_act.inspection"}
)

# numpy's defaults, set explicitly: another test (or a notebook) may have
# changed them, and the expected outputs are numpy's default reprs.
PRINT_OPTIONS = dict(
    precision=8, threshold=1000, edgeitems=3, linewidth=75, suppress=False,
    nanstr="nan", infstr="inf", sign="-", floatmode="maxprec", legacy=False,
)


@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    with np.printoptions(**PRINT_OPTIONS):
        result = doctest.testmod(
            module,
            extraglobs={"np": np, "keras": keras, "keras_act": keras_act},
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        )
    assert result.attempted > 0, f"{name} has no docstring example"
    assert result.failed == 0


def test_every_public_module_is_doctested():
    # The list above is derived, not kept by hand; this pins that it covers
    # the activation and layer modules at all.
    assert {"keras_act.activations.smooth", "keras_act.layers.softmax", "keras_act.registry",
            "keras_act.compat.tfa"} <= set(MODULES)
