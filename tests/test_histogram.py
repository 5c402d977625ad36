"""keras_act.diagnostics.ActivationHistogram, read back with TensorBoard's own event reader.

Every histogram in the event file is compared with numpy.histogram of the
same layer's outputs over the edges the file gives, the outputs computed
independently (a numpy forward pass from the model's weights, or Keras's
own per-layer outputs under mixed precision).
"""

import keras
import numpy as np
import pytest

import keras_act
from keras_act.diagnostics import ActivationHistogram
from tests.conftest import COMPILE

event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(96, 5)).astype("float32")
Y = RNG.normal(size=(96, 1)).astype("float32")
PROBE = X[:40]


def _mlp():
    return keras.Sequential(
        [
            keras.Input((5,)),
            keras.layers.Dense(8, activation="relu", name="d1"),
            keras.layers.Dense(8, name="d2"),
            keras.layers.LeakyReLU(negative_slope=0.1, name="leaky"),
            keras.layers.Dense(6, activation="tanh", name="d3"),
            keras.layers.Dense(1, name="out"),
        ]
    )


def _numpy_forward(weights, x):
    """{tag: values} of the watched layers, by hand from the weights."""
    w1, b1, w2, b2, w3, b3 = (w.astype("float64") for w in weights[:6])
    z1 = x @ w1 + b1
    h1 = np.maximum(z1, 0)
    z2 = h1 @ w2 + b2
    h2 = np.where(z2 > 0, z2, 0.1 * z2)
    z3 = h2 @ w3 + b3
    return {
        "activation/d1": h1, "activation/leaky": h2, "activation/d3": np.tanh(z3),
        "pre_activation/d1": z1, "pre_activation/leaky": z2, "pre_activation/d3": z3,
    }


class _Record(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append([keras.ops.convert_to_numpy(w) for w in self.model.weights])


def _read(log_dir):
    """{tag: {step: (edges, counts)}} of every histogram; {tag: {step: value}} of every scalar."""
    acc = event_accumulator.EventAccumulator(str(log_dir), size_guidance={event_accumulator.TENSORS: 0})
    acc.Reload()
    histograms, scalars = {}, {}
    for tag in acc.Tags()["tensors"]:
        plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
        for event in acc.Tensors(tag):
            value = tensor_util.make_ndarray(event.tensor_proto)
            if plugin == "histograms":
                edges = np.append(value[:, 0], value[-1, 1])
                histograms.setdefault(tag, {})[event.step] = (edges, value[:, 2])
            else:
                assert plugin == "scalars", plugin
                scalars.setdefault(tag, {})[event.step] = float(value)
    return histograms, scalars


def _assert_numpy_histogram(values, edges, counts, rtol=0.0):
    """counts == numpy.histogram(values, edges), except that a value within
    `rtol` of an edge (the device and the reference rounding differently)
    may sit in the bin beside."""
    values = np.asarray(values, "float32").ravel()  # the device bins float32 values
    edges = edges.astype("float32")
    expected, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
    scale = max(1.0, float(np.abs(edges).max()))
    near = int(np.sum(np.min(np.abs(values[:, None] - edges[None, :]), axis=1) <= rtol * scale)) if rtol else 0
    assert np.abs(counts - expected).sum() <= 2 * near, (counts, expected)
    assert counts.sum() == values.size


def test_histograms_equal_numpys_on_the_probe_outputs(tmp_path):
    model = _mlp()
    model.compile("adam", "mse", jit_compile=COMPILE)
    callback = ActivationHistogram(PROBE, tmp_path, bins=7, pre_activations=True)
    record = _Record()
    model.fit(X, Y, epochs=3, batch_size=16, verbose=0, callbacks=[callback, record])
    histograms, scalars = _read(tmp_path)
    assert scalars == {}
    assert sorted(histograms) == sorted(_numpy_forward(record.weights[0], PROBE))
    for tag, by_step in histograms.items():
        assert sorted(by_step) == [0, 1, 2]
        previous = None
        for step, (edges, counts) in sorted(by_step.items()):
            values = _numpy_forward(record.weights[step], PROBE.astype("float64"))[tag].astype("float32")
            assert edges.shape == (8,) and np.all(np.diff(edges) > 0)
            _assert_numpy_histogram(values, edges, counts, rtol=1e-5)
            low, high = values.min(), values.max()
            if previous is None:  # the first epoch's range
                np.testing.assert_allclose([edges[0], edges[-1]], [low, high], rtol=1e-5, atol=1e-6)
            else:  # kept while the values stay inside, widened to cover them when they leave
                np.testing.assert_allclose(
                    [edges[0], edges[-1]],
                    [min(previous[0], low), max(previous[-1], high)],
                    rtol=1e-5, atol=1e-6,
                )
                if low >= previous[0] and high <= previous[-1]:
                    np.testing.assert_array_equal(edges, previous)
            previous = edges
    # One probe model, built once, for the whole run.
    assert callback._histograms[0] is model


def test_under_mixed_precision_and_xla(tmp_path):
    keras.config.set_dtype_policy("mixed_float16")
    model = _mlp()
    keras.config.set_dtype_policy("float32")
    model.compile("adam", "mse", jit_compile=COMPILE)
    callback = ActivationHistogram(PROBE, tmp_path, every_n_epochs=2)
    model.fit(X, Y, epochs=3, batch_size=16, verbose=0, callbacks=[callback])
    layers = [model.get_layer(name) for name in ("d1", "leaky", "d3")]
    outputs = keras.Model(model.inputs[0], [layer.output for layer in layers])(PROBE)
    histograms, _ = _read(tmp_path)
    assert sorted(histograms) == ["activation/d1", "activation/d3", "activation/leaky"]
    for layer, output in zip(layers, outputs):
        by_step = histograms[f"activation/{layer.name}"]
        assert sorted(by_step) == [0, 2]  # every_n_epochs=2: epochs 0 and 2
        values = keras.ops.convert_to_numpy(output)
        assert values.dtype == np.float16
        edges, counts = by_step[2]
        assert len(counts) == 30
        _assert_numpy_histogram(values.astype("float32"), edges, counts, rtol=2e-3)


def test_a_constant_layer_and_non_finite_outputs(tmp_path):
    model = _mlp()
    d1, d3 = model.get_layer("d1"), model.get_layer("d3")
    d1.kernel.assign(-np.abs(keras.ops.convert_to_numpy(d1.kernel)) - 10.0)  # every relu output 0: a dead layer
    d1.bias.assign(np.zeros((8,), "float32"))
    kernel = keras.ops.convert_to_numpy(d3.kernel).copy()
    kernel[:, 0] = np.nan  # one unit of d3 diverged
    d3.kernel.assign(kernel)
    probe = np.abs(PROBE)
    callback = ActivationHistogram(probe, tmp_path, bins=5)
    callback.set_model(model)
    callback.on_epoch_end(0)
    histograms, scalars = _read(tmp_path)
    edges, counts = histograms["activation/d1"][0]
    np.testing.assert_allclose(edges, [-0.5, -0.3, -0.1, 0.1, 0.3, 0.5], atol=1e-7)
    np.testing.assert_array_equal(counts, [0, 0, len(probe) * 8, 0, 0])
    assert scalars == {"activation_nonfinite/d3": {0: float(len(probe))}}
    edges, counts = histograms["activation/d3"][0]
    assert counts.sum() == len(probe) * 5  # the NaN column is left out
    values = keras.ops.convert_to_numpy(keras.Model(model.inputs[0], d3.output)(probe))[:, 1:]
    _assert_numpy_histogram(values, edges, counts)


def test_a_model_with_keras_act_layers_on_every_backend(tmp_path):
    model = keras.Sequential(
        [
            keras.Input((5,)),
            keras.layers.Dense(4, activation="gelu_tanh_custom", name="d1"),
            keras_act.layers.PReLU(name="prelu"),
            keras.layers.Activation("hard_swish_custom", name="act"),
        ]
    )
    callback = ActivationHistogram(PROBE, tmp_path, bins=4, pre_activations=True)
    result = callback.histograms(model)
    assert sorted(result) == sorted(
        f"{kind}/{name}" for kind in ("activation", "pre_activation") for name in ("d1", "prelu", "act")
    )
    kernel, bias = (keras.ops.convert_to_numpy(w).astype("float64") for w in model.get_layer("d1").weights[:2])
    z = PROBE.astype("float64") @ kernel + bias
    gelu = 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)))
    prelu = np.where(gelu > 0, gelu, 0.25 * gelu)
    swish = prelu * np.clip(prelu + 3, 0, 6) / 6
    for tag, values in {"pre_activation/d1": z, "activation/d1": gelu, "activation/prelu": prelu,
                        "pre_activation/act": prelu, "activation/act": swish}.items():
        counts, edges, nonfinite = result[tag]
        assert nonfinite == 0
        np.testing.assert_allclose([edges[0], edges[-1]], [values.min(), values.max()], rtol=1e-5, atol=1e-6)
        _assert_numpy_histogram(values, edges, counts, rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(probe_x=np.zeros((0, 5), "float32")), r"at least one sample. Received: probe_x with shapes \[\(0, 5\)\]"),
        (dict(probe_x=np.array([[1.0, np.nan, np.inf, 0, 0]], "float32")), r"finite probe batch.*2 non-finite"),
        (dict(log_dir=None), r"needs a directory. Received: log_dir=None"),
        (dict(bins=0), r"Received: bins=0"),
        (dict(every_n_epochs=0), r"Received: every_n_epochs=0"),
    ],
)
def test_bad_arguments(tmp_path, kwargs, match):
    arguments = {"probe_x": PROBE, "log_dir": tmp_path, **kwargs}
    with pytest.raises(ValueError, match=match):
        ActivationHistogram(**arguments)


def test_a_model_with_no_or_one_activation_layer():
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="found no layer that applies an activation"):
        ActivationHistogram(PROBE, "unused").histograms(model)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="relu", name="d")])
    ((tag, (counts, edges, nonfinite)),) = ActivationHistogram(PROBE, "unused", bins=3).histograms(model).items()
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in model.weights)
    assert tag == "activation/d" and nonfinite == 0
    _assert_numpy_histogram(np.maximum(PROBE @ kernel + bias, 0), edges, counts, rtol=1e-5)
