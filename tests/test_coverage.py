"""Every activation Keras 3, PyTorch's torch.nn and TensorFlow Addons offer has a keras_act id or layer.

Keras's list is read from the installed Keras, so a Keras that adds an
activation fails this test until keras_act has it too. torch.nn's is written
out (torch is not a dependency); TensorFlow Addons' is frozen (its last
release was 0.23) and lives in keras_act.compat.tfa.MAPPINGS.
"""

import numpy as np
import pytest

import keras
import keras_act
from keras_act._record import RECORDS
from keras_act.compat import tfa

NOT_ACTIVATIONS = {"get", "serialize", "deserialize"}
KERAS_ACTIVATIONS = sorted(
    n for n in dir(keras.activations)
    if not n.startswith("_") and n not in NOT_ACTIVATIONS and callable(getattr(keras.activations, n))
)
# keras.activations.threshold(x, threshold, default_value) needs its two
# arguments, so keras_act has it as a function and a layer, not an id.
KERAS_AS_LAYER = {"threshold": "Threshold"}

# torch.nn's activation modules (docs, "Non-linear Activations"), each with
# the keras_act id or layer that computes it. MultiheadAttention and
# AdaptiveLogSoftmaxWithLoss are whole layers, not activations of a tensor.
TORCH = {
    "ELU": "elu_custom", "Hardshrink": "hard_shrink_custom", "Hardsigmoid": "hard_sigmoid_custom",
    "Hardtanh": "hard_tanh_custom", "Hardswish": "hard_swish_custom", "LeakyReLU": "leaky_relu_custom",
    "LogSigmoid": "log_sigmoid_custom", "PReLU": "PReLU", "ReLU": "relu_custom", "ReLU6": "relu6_custom",
    "RReLU": "RReLU", "SELU": "selu_custom", "CELU": "celu_custom", "GELU": "gelu_custom",
    "Sigmoid": "sigmoid_custom", "SiLU": "silu_custom", "Mish": "mish_custom", "Softplus": "softplus_custom",
    "Softshrink": "soft_shrink_custom", "Softsign": "softsign_custom", "Tanh": "tanh_custom",
    "Tanhshrink": "tanh_shrink_custom", "Threshold": "Threshold", "GLU": "glu_custom",
    "Softmin": "softmin_custom", "Softmax": "softmax_custom", "Softmax2d": "Softmax",
    "LogSoftmax": "log_softmax_custom", "Identity": "linear_custom",
}


def _exists(name):
    return name in keras_act.list_activations() or name in keras_act.layers.__all__


def _records_for(keras_fn):
    return [rec for rec in RECORDS.values() if rec.keras_builtin and getattr(keras.activations, rec.keras_builtin[0]) is keras_fn]


@pytest.mark.parametrize("name", KERAS_ACTIVATIONS)
def test_every_keras_activation_has_an_id_or_layer(name):
    if name in KERAS_AS_LAYER:
        assert KERAS_AS_LAYER[name] in keras_act.layers.__all__
        return
    assert _records_for(getattr(keras.activations, name)), f"keras.activations.{name} has no keras_act record"


@pytest.mark.parametrize("name", [n for n in KERAS_ACTIVATIONS if n not in KERAS_AS_LAYER])
def test_it_computes_what_keras_computes(name):
    x = np.concatenate([np.linspace(-6.0, 6.0, 241), [-0.5, 0.5, -1.0, 1.0, -3.0, 3.0]]).astype("float32")
    if name in ("glu", "softmax", "log_softmax", "sparsemax"):
        x = x[:240].reshape(30, 8) / 4.0
    for rec in _records_for(getattr(keras.activations, name)):
        builtin, kwargs = rec.keras_builtin
        expected = keras.ops.convert_to_numpy(getattr(keras.activations, builtin)(x, **kwargs))
        ours = keras.ops.convert_to_numpy(rec.fn(x))
        if name == "sparsemax":
            # Keras 3.15.1's sparsemax is wrong (keras-team/keras#23425): only
            # where its support is a single class does it agree.
            single = np.sum(ours > 0, axis=-1) == 1
            np.testing.assert_allclose(ours[single], expected[single], rtol=1e-6, atol=1e-7)
            continue
        # Keras's tanh-form gelu rounds 1 + tanh(u) to 0 in the float32
        # negative tail (-6e-7 there is 0 in Keras); keras_act does not.
        atol = 1e-6 if rec.name == "gelu_tanh_custom" else 4e-7
        if rec.name == "gelu_custom" and keras.backend.backend() == "torch":
            # torch's float32 GELU computes 1 + erf(x / sqrt(2)), which cancels
            # in the negative tail (5.3e-7 off near x = -4); gelu_custom is within
            # 2e-7 of the float64 value there (test_activations.test_values_float32).
            atol = 6e-7
        np.testing.assert_allclose(ours, expected, rtol=2e-6, atol=atol, err_msg=rec.name)


@pytest.mark.parametrize("module", sorted(TORCH))
def test_every_torch_activation_has_an_id_or_layer(module):
    assert _exists(TORCH[module]), (module, TORCH[module])


def test_torch_equivalents_in_the_records_are_torch_modules():
    named = {rec.torch_equivalent.split("(")[0].removeprefix("torch.nn.") for rec in RECORDS.values() if rec.torch_equivalent}
    assert named <= set(TORCH), named - set(TORCH)


def test_every_tfa_activation_has_a_mapping():
    for mapping in tfa.MAPPINGS:
        assert _exists(mapping.new), mapping
