"""A record's derivative is derived from the code its gradient runs.

Where an activation computes its gradient from a saved output
(`with_saved_gradient(forward, backward, x)`), its record's `derivative` is
`derivative_from_saved(forward, backward)`: one expression, not a second
one that could drift. The pairs are found by running each function with
`with_saved_gradient` watched, so a new function is covered without being
listed here.
"""

import sys

import numpy as np
import pytest

import keras_act
from keras_act import _kernels
from keras_act._record import RECORDS
from keras_act.activations import _common

# Records that keep a separate derivative, and why.
SEPARATE = {
    # The record's _gelu_grad recomputes Phi(x); the portable form's
    # backward is the same expression with the forward's Phi reused.
    "gelu_custom": "the same expression, Phi reused",
    # From the output, exp(x / alpha) is y / alpha + 1, which cancels in the
    # negative tail; the record keeps the accurate exp form.
    "celu_custom": "the from-output form cancels for large negative x",
}


def _same(f, g):
    # saving_output(fn) makes a new closure at each call: compare its
    # code and what it closes over.
    if f is g:
        return True
    if getattr(f, "__code__", None) is not getattr(g, "__code__", 0):
        return False
    cells = lambda h: [c.cell_contents for c in (h.__closure__ or ())]
    return all(_same(a, b) if callable(a) else a == b for a, b in zip(cells(f), cells(g)))


def _saved_gradient_pairs(name, monkeypatch, dtype="float32"):
    pairs = []
    real = _common.with_saved_gradient

    def watching(forward, backward, x, **hyperparameters):
        pairs.append((forward, backward))
        return real(forward, backward, x, **hyperparameters)

    for module in [m for n, m in sys.modules.items() if n.startswith("keras_act.activations.")]:
        if getattr(module, "with_saved_gradient", None) is real:
            monkeypatch.setattr(module, "with_saved_gradient", watching)
    # The portable form: a native kernel (keras_act._kernels) computes its
    # gradient its own way, checked against the same references elsewhere.
    with _kernels.variant("portable"):
        RECORDS[name].fn(np.linspace(-3.0, 3.0, 7).astype(dtype))
    monkeypatch.undo()
    return pairs


ELEMENTWISE = sorted(name for name, rec in RECORDS.items() if rec.derivative is not None)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_comes_from_the_saved_gradient(name, monkeypatch):
    rec = RECORDS[name]
    pairs = _saved_gradient_pairs(name, monkeypatch) + _saved_gradient_pairs(name, monkeypatch, "float64")
    if name in SEPARATE or not pairs:
        # Derived only from a saved gradient the function really uses.
        assert not isinstance(rec.derivative, _common.derivative_from_saved), (
            f"{name}'s derivative is derived, but " + ("it is listed in SEPARATE" if pairs else "it saves no gradient")
        )
        return
    assert isinstance(rec.derivative, _common.derivative_from_saved), (
        f"{name} computes its gradient from a saved output but its record's derivative is written apart: "
        "use derivative_from_saved (or list it in SEPARATE with the reason)"
    )
    assert all(_same(rec.derivative.forward, f) and _same(rec.derivative.backward, b) for f, b in pairs), name


def test_separate_ones_do_save_a_gradient(monkeypatch):
    # The exceptions are real: each function does use with_saved_gradient.
    for name in SEPARATE:
        assert _saved_gradient_pairs(name, monkeypatch, "float64"), name


def test_derived_ids():
    derived = sorted(n for n in ELEMENTWISE if hasattr(RECORDS[n].derivative, "forward"))
    assert {"mish_custom", "lisht_custom", "snake_custom", "gelu_tanh_custom", "hard_tanh_custom",
            "tanh_shrink_custom", "squareplus_custom", "sparse_sigmoid_custom", "hard_shrink_custom",
            "soft_shrink_custom"} <= set(derived)
    assert keras_act.derivative("mish_custom")(np.array([0.0])).shape == (1,)
