"""keras_act._validation: one rule for numbers and one wording, for the
functions and the layers alike."""

import math
import pathlib
import re

import numpy as np
import pytest

import keras
import keras_act
from keras_act import _validation, layers


@pytest.mark.parametrize(
    "value, expected",
    [
        (1, True), (1.5, True), (-0.0, True), (math.nan, True), (10**400, True),
        (np.float32(1.0), True), (np.float64(2.0), True), (np.int64(3), True), (np.float16(0.5), True),
        (True, False), (np.bool_(True), False), ("1", False), (None, False), (np.array(1.0), False), ([1.0], False),
    ],
)
def test_the_one_rule(value, expected):
    assert _validation.is_number(value) is expected


def test_a_valid_float_is_returned_as_it_is():
    value = 0.123456789
    assert _validation.number("f", "a", value, minimum=0, strict=True) is value
    assert _validation.normal("f", "a", value, "float32") is value


@pytest.mark.parametrize("value", [np.float32(0.5), np.int64(2), 3])
def test_other_numbers_become_python_floats(value):
    out = _validation.number("f", "a", value, minimum=0)
    assert type(out) is float and out == float(value)


def test_a_function_lets_a_tensor_through_but_not_a_bool():
    t = keras.ops.ones(())
    assert _validation.number("f", "a", t, minimum=0, tensor=True) is t
    for value in [True, np.bool_(False)]:
        with pytest.raises(ValueError, match=rf"f expected `a` to be a finite number >= 0 or a tensor\. Received: a={re.escape(repr(value))}\."):
            _validation.number("f", "a", value, minimum=0, tensor=True)
    with pytest.raises(ValueError, match=r"F expected `a` to be a finite number >= 0\. Received: a="):
        _validation.number("F", "a", t, minimum=0)


@pytest.mark.parametrize(
    "layer, function, kwargs",
    [
        ("ELU", "elu_custom", dict(alpha=0.0)),
        ("LeakyReLU", "leaky_relu_custom", dict(negative_slope=np.float32(-1.0))),
        ("Softplus", "softplus_custom", dict(beta=math.inf)),
        ("Snake", "snake_custom", dict(frequency=np.float64(math.nan))),
        ("HardShrink", "hard_shrink_custom", dict(threshold=-(10**400))),
    ],
)
def test_functions_and_layers_refuse_the_same_numbers_in_the_same_words(layer, function, kwargs):
    with pytest.raises(ValueError) as from_layer:
        getattr(layers, layer)(**kwargs)
    with pytest.raises(ValueError) as from_function:
        keras_act.get(function)(np.ones(3, "float32"), **kwargs)
    expected = str(from_layer.value).replace(f"{layer} expected", f"{function} expected").replace(
        ". Received:", " or a tensor. Received:", 1
    )
    assert str(from_function.value) == expected


@pytest.mark.parametrize(
    "layer, function, kwargs",
    [("CELU", "celu_custom", dict(alpha=1e-300)), ("Swish", "swish", dict(beta=1e39)), ("RReLU", "rrelu_custom", dict(upper=1e39))],
)
def test_the_normal_range_is_refused_in_the_same_words(layer, function, kwargs):
    with pytest.raises(ValueError) as from_layer:
        getattr(layers, layer)(**kwargs)
    with pytest.raises(ValueError) as from_function:
        getattr(keras_act.activations, function)(np.ones(3, "float32"), **kwargs)
    assert str(from_function.value) == str(from_layer.value).replace(f"{layer} expected", f"{function} expected")
    assert re.search(r"expected `\w+` to be a normal float32 number.* Received: \w+=1e[-+]\d+\. Use a value", str(from_layer.value))


def test_order_is_refused_in_the_same_words():
    with pytest.raises(ValueError) as from_layer:
        layers.HardTanh(min_val=1.0, max_val=1.0)
    with pytest.raises(ValueError) as from_function:
        keras_act.get("hard_tanh_custom")(np.ones(3, "float32"), min_val=1.0, max_val=1.0)
    assert str(from_function.value) == str(from_layer.value).replace("HardTanh", "hard_tanh_custom")


def test_no_module_keeps_a_number_rule_of_its_own():
    # isinstance(v, (int, float)) misses numpy scalars and lets bools in;
    # numbers.Real lets bools in: is_number is the one rule.
    root = pathlib.Path(keras_act.__file__).parent
    sources = [*root.glob("activations/*.py"), *root.glob("layers/*.py"), root / "diagnostics" / "_activations.py"]
    found = [
        f"{path.name}: {line.strip()}"
        for path in sources
        for line in path.read_text().splitlines()
        if re.search(r"isinstance\([^)]*\((int, float|float, int)\)|numbers\.(Real|Integral)", line)
    ]
    assert not found
