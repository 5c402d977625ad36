"""Adding an id touches its family module and its reference, nothing else
(issue 19; CONTRIBUTING.md's checklist).

A copy of the checkout gets a toy family module with one id that has a
hyperparameter and a Keras built-in (keras_act/activations/toy.py, written
as a contributor would) and its reference (appended to tests/references.py);
then, in a fresh process on that copy, the id is found in every place that
is derived from the records: the string id Keras resolves, `info`, the
package's exports, the command line's listing and `info`, the docs tables,
the benchmark's rows, and the parametrized tests, which run and pass for it.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.once]

TOY_MODULE = '''
"""A toy family: what a contributor's new family module looks like."""

import math

from keras_act._kernels import run
from keras_act._lazy import ops
from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import number
from keras_act.activations._common import as_float


def _toy_leaky_grad(x, negative_slope):
    return ops.where(x > 0, ops.ones_like(x), ops.full_like(x, negative_slope))


@activation(
    "toy_leaky_custom",
    derivative=_toy_leaky_grad,
    formula="x if x > 0 else negative_slope * x",
    derivative_formula="1 if x > 0 else negative_slope",
    output_range=(-math.inf, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=False,
    saturates="none",
    recommended_initializer="he_normal",
    reference="A. Toy 2026, A Toy Rectifier, https://example.org/toy",
    keras_builtin=("leaky_relu", {"negative_slope": 0.05}),
)
def toy_leaky_custom(x: TensorLike, negative_slope: float = 0.05) -> TensorLike:
    """A toy leaky ReLU, the example of CONTRIBUTING.md.

    Use it to see where a new id appears: nowhere it was written by hand.

    Formula:
        toy_leaky(x) = x if x > 0 else negative_slope * x

    Reference:
        A. Toy 2026, A Toy Rectifier, https://example.org/toy

    Args:
        x: input tensor.
        negative_slope: slope for x < 0. Defaults to `0.05`.

    Example:
        >>> x = np.array([-2.0, 0.0, 2.0], "float32")
        >>> y = keras_act.activations.toy_leaky_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.1,  0. ,  2. ], dtype=float32)
    """
    negative_slope = number("toy_leaky_custom", "negative_slope", negative_slope, minimum=0, tensor=True)
    return run("toy_leaky_custom", _toy_leaky, as_float(x), negative_slope=negative_slope)


def _toy_leaky(x, negative_slope):
    return ops.where(x > 0, x, x * negative_slope)
'''

TOY_REFERENCE = '''

# The toy id of tests/test_adding_an_id.py.
REFERENCES["toy_leaky_custom"] = (lambda x, negative_slope=0.05: np.where(x > 0, x, negative_slope * x), {})
KINKS["toy_leaky_custom"] = (0.0,)
KINK_DERIVATIVES["toy_leaky_custom"] = {0.0: 0.05}
'''

CHECKS = '''
import io, sys
import keras
import keras_act
from keras_act import cli, _docs

name = "toy_leaky_custom"
found = {}
found["string id"] = keras.activations.get(name) is keras_act.get(name)
found["info"] = keras_act.info(name)["defaults"] == {"negative_slope": 0.05}
found["formula with its default"] = "negative_slope = 0.05" in keras_act.info(name)["formula"]
found["exports"] = name in keras_act.activations.__all__ and keras_act.activations.toy_leaky_custom is keras_act.get(name)
out = io.StringIO()
cli._dispatch(["list"], out, sys.stderr)
found["cli list"] = any(line.startswith(name + " ") for line in out.getvalue().splitlines())
out = io.StringIO()
found["cli info"] = cli._dispatch(["info", name], out, sys.stderr) == 0 and "keras.activations.leaky_relu" in out.getvalue()
found["docs table"] = f"`{name}`" in _docs.markdown_table()
found["docs page"] = name in _docs._ids()
from benchmarks import cases
rows = [c for c in cases.function_cases() if c.name == name]
found["benchmark row"] = len(rows) == 1 and rows[0].builtin_label.startswith("keras.activations.leaky_relu")
missing = [k for k, ok in found.items() if not ok]
print("missing:", missing)
'''


def test_a_toy_id_appears_everywhere_it_is_derived(tmp_path):
    copy = tmp_path / "checkout"
    for part in ("keras_act", "benchmarks", "tests"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__", "*.json"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, copy / part)
    (copy / "keras_act" / "activations" / "toy.py").write_text(textwrap.dedent(TOY_MODULE))
    with open(copy / "tests" / "references.py", "a") as f:
        f.write(TOY_REFERENCE)
    env = {**os.environ, "PYTHONPATH": str(copy), "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}

    done = subprocess.run([sys.executable, "-c", CHECKS], cwd=copy, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("missing: []"), done.stdout[-2000:]

    # The parametrized tests: every test of the ids, the docstring checks
    # and the doctest run for it (and pass), written for no id in particular.
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "toy_leaky_custom",
         "tests/test_activations.py", "tests/test_docstrings.py", "tests/test_kernels.py"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=600,
    )
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    passed = int(tests.stdout.strip().splitlines()[-1].split(" passed")[0].split()[-1])
    assert passed >= 20, tests.stdout[-1000:]
