"""Each default is written once, in the function's signature, and read from
there by the record, the formula's note, the layers and the docs; the
helpers behind a function take none of their own (keras_act._record's
docstring). Keras's own activation layers are found from the records, not
from a hand-kept list."""

import importlib
import inspect
import math
import pkgutil

import keras
import pytest

import keras_act
from keras_act import _kernels, activations, layers
from keras_act._record import RECORDS, activation, defaults_of
from keras_act.diagnostics._activations import _keras_activation_layers, layer_activation

FAMILY_MODULES = [
    importlib.import_module(f"keras_act.activations.{m.name}")
    for m in pkgutil.iter_modules(activations.__path__)
    if not m.name.startswith("_")
]


def _own_functions(module):
    return [
        (name, fn)
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and fn.__module__ == module.__name__
    ]


def _defaults(fn):
    return [p.name for p in inspect.signature(fn).parameters.values() if p.default is not p.empty]


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_the_record_reads_its_defaults_from_the_signature(name):
    rec = RECORDS[name]
    assert rec.defaults == defaults_of(rec.fn)
    for key, value in rec.defaults.items():
        assert value is inspect.signature(rec.fn).parameters[key].default


@pytest.mark.parametrize(
    "name, note",
    [
        ("leaky_relu_custom", "   (negative_slope = 0.01)"),
        ("rrelu_custom", "   (lower = 1/8, upper = 1/3)"),
        ("elu_custom", "   (alpha = 1)"),
        ("softplus_custom", "   (beta = 1, threshold = 20)"),
        ("hard_tanh_custom", "   (min_val = -1, max_val = 1)"),
        ("hard_shrink_custom", "   (threshold = 0.5)"),
        ("squareplus_custom", "   (b = 4)"),
    ],
)
def test_the_formula_notes_the_defaults(name, note):
    assert RECORDS[name].formula.endswith(note)
    assert note not in RECORDS[name].formula[: -len(note)]


def test_an_axis_is_not_noted():
    # Said in the formula's own words ("over the last axis", "axis=-1").
    assert RECORDS["softmax_custom"].defaults == {"axis": -1}
    assert RECORDS["softmax_custom"].formula.endswith("   (over the last axis)")


METADATA = dict(
    derivative=None,
    formula="x",
    derivative_formula="1",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=True,
    smooth=True,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference="none 2024",
)


def test_a_record_takes_no_defaults_of_its_own():
    with pytest.raises(TypeError, match="the defaults are read from the function's signature"):

        @activation("toy_defaults_custom", defaults={"slope": 0.5}, **METADATA)
        def toy(x, slope=0.5):
            return x

    assert "toy_defaults_custom" not in RECORDS


def test_a_hyperparameter_without_a_default_is_refused():
    with pytest.raises(ValueError, match=r"expected a default for every hyperparameter.*Give slope a default\."):

        @activation("toy_required_custom", **METADATA)
        def toy(x, slope):
            return x

    assert "toy_required_custom" not in RECORDS


def test_keras_builtin_is_held_to_the_default():
    with pytest.raises(ValueError, match=r"keras_builtin's `slope` to be the signature's default, 0\.5\. Received: slope=0\.2\."):

        @activation("toy_builtin_custom", keras_builtin=("leaky_relu", {"slope": 0.2}), **METADATA)
        def toy(x, slope=0.5):
            return x

    assert "toy_builtin_custom" not in RECORDS


@pytest.mark.parametrize("module", FAMILY_MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_helpers_repeat_no_default(module):
    # Derivatives, portable forms and saved-gradient pairs are always
    # called with every hyperparameter.
    repeated = {name: _defaults(fn) for name, fn in _own_functions(module) if name.startswith("_") and _defaults(fn)}
    assert not repeated


def test_kernels_repeat_no_default():
    backend = keras.backend.backend()
    modules = [_kernels._implementations(backend)]
    if backend == "tensorflow":
        modules.append(importlib.import_module("keras_act._kernels._export"))
    for module in modules:
        kernels = [fn for fn in vars(module).values() if inspect.isfunction(fn) and fn.__module__ == module.__name__]
        kernels += [fn for fn in getattr(module, "KERNELS", {}).values() if inspect.isfunction(fn)]
        for forms in getattr(module, "FORMS", {}).values():
            kernels += list(forms.values())
        repeated = {fn.__qualname__: _defaults(fn) for fn in kernels if fn.__module__ == module.__name__ and _defaults(fn)}
        assert not repeated, module.__name__


@pytest.mark.parametrize("name", sorted(n for n, r in RECORDS.items() if r.derivative is not None))
def test_the_derivative_repeats_no_default(name):
    assert not _defaults(RECORDS[name].derivative)


# The function each layer computes, where its activation_id's does not say.
LAYER_FUNCTIONS = {"Swish": activations.swish, "Maxout": activations.maxout, "Threshold": activations.threshold}


def _layer_function(name):
    cls = getattr(layers, name)
    if name in LAYER_FUNCTIONS:
        return LAYER_FUNCTIONS[name]
    return RECORDS[cls.activation_id].fn if cls.activation_id else None


@pytest.mark.parametrize("name", sorted(layers.__all__))
def test_the_layer_reads_its_defaults_from_the_function(name):
    fn = _layer_function(name)
    if fn is None:
        pytest.skip(f"{name} computes a function without defaults")
    theirs = defaults_of(fn)
    ours = inspect.signature(getattr(layers, name).__init__).parameters
    shared = [key for key in theirs if key in ours]
    for key in shared:
        # The same object: read from the signature, not a copy of its value.
        assert ours[key].default is theirs[key], (name, key)


def test_every_function_default_reaches_its_layer():
    # Each hyperparameter of a function with a layer is an argument of it.
    assert set(defaults_of(activations.leaky_relu_custom)) <= set(inspect.signature(layers.LeakyReLU).parameters)
    assert set(defaults_of(activations.softplus_custom)) <= set(inspect.signature(layers.Softplus).parameters)
    assert set(defaults_of(activations.rrelu_custom)) <= set(inspect.signature(layers.RReLU).parameters)


def test_the_layer_and_the_function_agree_at_their_defaults():
    import numpy as np

    x = np.linspace(-3.0, 3.0, 13).astype("float32")[None]
    for layer, fn in [(layers.LeakyReLU(), activations.leaky_relu_custom), (layers.Softplus(), activations.softplus_custom)]:
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x)), keras.ops.convert_to_numpy(fn(x)))
    assert keras_act.info("leaky_relu_custom")["defaults"] == {"negative_slope": layers.LeakyReLU().negative_slope}


def test_keras_activation_layers_are_found_from_the_records():
    assert _keras_activation_layers() == {"ReLU": "relu", "LeakyReLU": "leaky_relu", "ELU": "elu", "Softmax": "softmax"}
    for layer, id_ in [
        (keras.layers.ReLU(), "relu_custom"),
        (keras.layers.LeakyReLU(), "leaky_relu_custom"),
        (keras.layers.ELU(), "elu_custom"),
        (keras.layers.Softmax(), "softmax_custom"),
    ]:
        label, rec, _ = layer_activation(layer)
        assert label == type(layer).__name__ and rec.name == id_
