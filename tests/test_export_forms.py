"""model.export traces keras_act's export forms, and they convert to no more
LiteRT ops than Keras's own built-ins (issue 16).

The dispatch (keras_act._kernels) trains on TensorFlow's native kernels
(tf.nn.gelu's Erfc, which tf2onnx cannot convert) and exports in forms the
format turns into builtin ops. Every id's values in every variant are held
to the references in tests/test_activations.py; here: that the hook is in
place, what each format's graph holds, and LiteRT's op counts against
Keras's built-ins (benchmarks/export.py tabulates all of them).
"""

import numpy as np
import pytest

import keras
import keras_act
from keras_act import _kernels

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="ONNX through tf2onnx and LiteRT export from the TensorFlow backend"
)


def _dense(activation):
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((16,)), keras.layers.Dense(16, activation=activation)])


def _graph_ops(model, format):
    """The TensorFlow op types of the model's graph as `model.export(format=...)`
    traces it (inside the same context the hook enters)."""
    import tensorflow as tf

    with keras_act.exporting(format):
        fn = tf.function(lambda x: model(x)).get_concrete_function(tf.TensorSpec((None, 16), tf.float32))
    return {op.type for op in fn.graph.get_operations()}


def test_export_hook_is_installed():
    assert getattr(keras.Model.export, "_keras_act_original", None) is not None


@pytest.mark.parametrize(
    "format, variant", [("onnx", "onnx"), ("litert", "litert"), ("tf_saved_model", "native"), ("openvino", "native")]
)
def test_export_enters_the_formats_variant(format, variant):
    from keras_act._keras_internals import export_wrapper

    seen = []

    def original(self, filepath, format="tf_saved_model", verbose=None, input_signature=None, **kwargs):
        seen.append((format, _kernels.current_variant()))

    export_wrapper(original, keras_act.exporting)(_dense("relu_custom"), "unused", format=format)
    assert seen == [(format, variant)]
    assert _kernels.current_variant() == "native"  # restored after


def test_training_graph_has_native_gelu_and_the_onnx_graph_has_no_erfc():
    model = _dense("gelu_custom")
    assert "Erfc" in _graph_ops(model, "tf_saved_model") or "Erf" in _graph_ops(model, "tf_saved_model")
    onnx_ops = _graph_ops(model, "onnx")
    assert not {"Erfc", "Erf", "Expm1"} & onnx_ops, onnx_ops


def test_onnx_graph_of_celu_has_no_expm1():
    layer_ops = _graph_ops(_dense(lambda x: keras_act.activations.celu_custom(x, alpha=2.0)), "onnx")
    assert "Expm1" not in layer_ops


def _litert_op_counts(model, tmp_path, name):
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter

    path = str(tmp_path / f"{name}.tflite")
    model.export(path, format="litert", verbose=False, target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS]})
    ops = [op["op_name"] for op in Interpreter(model_path=path)._get_ops_details()]
    return ops


# The ids whose LiteRT forms matter (Keras converts to one fused op, or
# keras_act's training form differs from what the converter fuses).
LITERT_IDS = [
    "gelu_custom", "gelu_tanh_custom", "celu_custom", "hard_swish_custom", "elu_custom", "selu_custom",
    "leaky_relu_custom", "sigmoid_custom", "softmax_custom", "silu_custom", "hard_sigmoid_custom", "relu6_custom",
    "squareplus_custom",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", LITERT_IDS)
def test_litert_ops_no_more_than_keras_builtin(name, tmp_path):
    builtin, kwargs = keras_act.record(name).keras_builtin
    keras_fn = getattr(keras.activations, builtin)
    ours = _litert_op_counts(_dense(name), tmp_path, "ours")
    theirs = _litert_op_counts(_dense(lambda x: keras_fn(x, **kwargs)), tmp_path, "keras")
    assert len(ours) <= len(theirs), (ours, theirs)
    if name in ("gelu_custom", "gelu_tanh_custom"):
        assert ours == ["FULLY_CONNECTED", "GELU"], ours


@pytest.mark.slow
def test_litert_prelu_layer_is_one_prelu_op_as_keras(tmp_path):
    def model(layer):
        keras.utils.set_random_seed(0)
        return keras.Sequential([keras.Input((16,)), keras.layers.Dense(16), layer])

    ours = _litert_op_counts(model(keras_act.layers.PReLU()), tmp_path, "ours")
    theirs = _litert_op_counts(model(keras.layers.PReLU()), tmp_path, "keras")
    assert ours == theirs == ["FULLY_CONNECTED", "PRELU"], (ours, theirs)


@pytest.mark.parametrize("alpha", [0.25, np.linspace(-0.5, 0.5, 8).astype("float32")], ids=["number", "per-channel"])
def test_litert_prelu_form_computes_prelu(alpha):
    # The export form against numpy's PReLU, x >= 0 ? x : alpha * x, for a
    # number and for a learned per-channel alpha (the layer's weight).
    x = np.linspace(-4.0, 4.0, 64).astype("float32").reshape(8, 8)
    with _kernels.variant("litert"):
        y = keras.ops.convert_to_numpy(keras_act.activations.prelu(x, keras.ops.convert_to_tensor(alpha)))
    np.testing.assert_allclose(y, np.where(x >= 0, x, alpha * x), rtol=1e-6, atol=1e-7)
