"""keras_act.diagnostics: definitions from the records, the monitors' numbers
against independent numpy computations, under model.fit, and the notes'
claims (examples/*.py) as assertions on measured quantities."""

import glob
import importlib.util
import math
import pathlib

import keras
import numpy as np
import pytest

import keras_act
from keras_act._record import RECORDS
from keras_act.diagnostics import (
    DeadUnitMonitor,
    GradientFlowMonitor,
    SaturationMonitor,
    activation_stats,
    gradient_norms,
    layer_activation,
)
from keras_act.diagnostics._activations import record_for_function, spec_for
from tests.conftest import COMPILE

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def _example(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _spec(layer):
    label, rec, fn = layer_activation(layer)
    return spec_for(label, rec, fn)


def _x(n=200, d=12, seed=0):
    return np.random.default_rng(seed).standard_normal((n, d)).astype("float32")


# ---------------------------------------------------------------- definitions

ELEMENTWISE = sorted(name for name, rec in RECORDS.items() if rec.elementwise and rec.derivative is not None)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_flat_and_saturated_outputs_have_small_derivative(name):
    # The definitions, derived from each record, agree with its analytic
    # derivative: a flat output has f' = 0, a saturated one |f'| <= 5% of the peak.
    rec = RECORDS[name]
    spec = spec_for(name, rec, rec.fn)
    x = np.linspace(-30, 30, 60001, dtype="float32")
    y = keras.ops.convert_to_numpy(rec.fn(x))
    dy = np.abs(keras.ops.convert_to_numpy(keras_act.derivative(name)(x)))
    flat = spec.flat_mask(y)
    # Isolated points aside (hard_swish(0) = 0 with slope 1/2), flat outputs
    # have a zero derivative.
    assert np.count_nonzero(dy[flat]) <= 1, name
    saturated = spec.saturated_mask(y)
    assert np.count_nonzero(dy[saturated] > 0.05 * dy.max()) <= 1, (name, dy[saturated].max(), dy.max())
    if rec.saturates == "none":
        assert not np.any(saturated & ~flat)


@pytest.mark.parametrize(
    "name, saturated_somewhere",
    [("sigmoid_custom", True), ("tanh_custom", True), ("hard_sigmoid_custom", True), ("elu_custom", True),
     ("leaky_relu_custom", False), ("gelu_custom", False), ("snake_custom", False)],
)
def test_which_activations_saturate_on_a_wide_range(name, saturated_somewhere):
    rec = RECORDS[name]
    y = keras.ops.convert_to_numpy(rec.fn(np.linspace(-30, 30, 601, dtype="float32")))
    assert bool(spec_for(name, rec, rec.fn).saturated_mask(y).any()) is saturated_somewhere


def test_keras_builtins_map_to_their_records():
    for rec in RECORDS.values():
        if rec.keras_builtin is None:
            continue
        found = record_for_function(getattr(keras.activations, rec.keras_builtin[0]))
        assert found is not None and found.keras_builtin[0] == rec.keras_builtin[0]
        assert record_for_function(rec.fn) is rec
    # gelu is exact by default in keras.activations: not the tanh approximation.
    assert record_for_function(keras.activations.gelu).name == "gelu_custom"
    assert record_for_function(lambda x: x) is None


def test_layer_activation_for_ids_builtins_and_keras_layers():
    assert layer_activation(keras.layers.Dense(3, activation="relu"))[:2] == ("relu", RECORDS["relu_custom"])
    assert layer_activation(keras.layers.Dense(3, activation="selu_custom"))[1] is RECORDS["selu_custom"]
    assert layer_activation(keras.layers.Activation("hard_sigmoid"))[1] is RECORDS["hard_sigmoid_custom"]
    assert layer_activation(keras.layers.Dense(3)) is None
    assert layer_activation(keras.layers.LSTM(3))[:2] == ("tanh", RECORDS["tanh_custom"])
    assert layer_activation(keras.layers.Dropout(0.5)) is None
    # Hyperparameters that move the ends are measured from the layer.
    assert _spec(keras.layers.ReLU(max_value=6.0)).flat_outputs == (0.0, 6.0)
    assert _spec(keras.layers.ELU(alpha=2.0)).lower_asymptote == -2.0
    assert _spec(keras.layers.Activation("tanh")).upper_asymptote == 1.0
    assert _spec(keras.layers.Activation("hard_tanh")).upper_asymptote is None  # a flat output instead
    # No record (Keras's PReLU): a unit is dead when its output is exactly 0.
    assert _spec(keras.layers.PReLU()).flat_outputs == (0.0,)


def test_keras_act_layers_use_their_activation_id():
    layers = pytest.importorskip("keras_act.layers")
    spec = _spec(layers.HardTanh(min_val=-2.0, max_val=2.0))
    assert spec.record is RECORDS["hard_tanh_custom"]
    assert spec.flat_outputs == (-2.0, 2.0)
    assert _spec(layers.LeakyReLU()).can_die is False
    assert _spec(layers.ELU()).record is RECORDS["elu_custom"]
    assert _spec(layers.Threshold(threshold=0.5, value=-1.0)).flat_outputs == (-1.0,)
    # A keras_act layer given as a Dense's activation= is described by its record too.
    label, rec, _ = layer_activation(keras.layers.Dense(3, activation=layers.HardTanh(min_val=-2.0, max_val=2.0)))
    assert rec is RECORDS["hard_tanh_custom"] and "HardTanh" in label
    assert _spec(keras.layers.Dense(3, activation=layers.HardTanh(min_val=-2.0, max_val=2.0))).flat_outputs == (
        -2.0,
        2.0,
    )


# ------------------------------------------------- monitors against numpy


def _relu_model(bias):
    model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(16, activation="relu_custom", name="hidden")])
    w = np.random.default_rng(1).standard_normal((12, 16)).astype("float32")
    model.layers[0].set_weights([w, bias.astype("float32")])
    return model, w


def test_dead_unit_monitor_matches_numpy():
    bias = np.zeros(16)
    bias[[1, 4, 9, 15]] = -100.0  # four units far below zero for every sample
    bias[[2, 3]] = -3.0  # and two that only some samples reach
    model, w = _relu_model(bias)
    x = _x()
    h = np.maximum(x @ w + bias, 0)
    expected = np.mean(np.all(h == 0, axis=0))
    values = DeadUnitMonitor(x).measure(model)
    assert values["dead_fraction/hidden"] == pytest.approx(expected)
    assert 4 / 16 <= expected < 1
    assert values["dead_fraction"] == pytest.approx(expected)


@pytest.mark.parametrize(
    "activation, dead",
    [("relu", 1.0), ("relu_custom", 1.0), ("relu6_custom", 1.0), ("leaky_relu_custom", 0.0), ("leaky_relu", 0.0),
     ("elu_custom", 0.0), ("selu", 0.0)],
)
def test_far_negative_bias_reads_dead_only_where_the_gradient_is_zero(activation, dead):
    far_negative = keras.initializers.Constant(-1e3)
    model = keras.Sequential(
        [keras.Input((12,)), keras.layers.Dense(8, activation=activation, bias_initializer=far_negative, name="d")]
    )
    assert DeadUnitMonitor(_x()).measure(model)["dead_fraction/d"] == dead


def test_far_negative_bias_with_keras_act_layers():
    layers = pytest.importorskip("keras_act.layers")
    x = _x()
    for layer, dead in [(keras.layers.ReLU(), 1.0), (layers.LeakyReLU(), 0.0), (layers.PReLU(), 0.0)]:
        model = keras.Sequential(
            [keras.Input((12,)), keras.layers.Dense(8, bias_initializer=keras.initializers.Constant(-1e3)), layer]
        )
        assert DeadUnitMonitor(x).measure(model)[f"dead_fraction/{layer.name}"] == dead, type(layer)


def test_a_diverged_network_reads_nan_not_healthy():
    model, w = _relu_model(np.zeros(16))
    model.layers[0].set_weights([np.full_like(w, np.nan), np.zeros(16, "float32")])
    assert math.isnan(DeadUnitMonitor(_x()).measure(model)["dead_fraction/hidden"])
    assert math.isnan(DeadUnitMonitor(_x()).measure(model)["dead_fraction"])
    assert math.isnan(SaturationMonitor(_x()).measure(model)["saturated_fraction/hidden"])


def test_monitors_under_mixed_precision():
    keras.config.set_dtype_policy("mixed_float16")  # the conftest fixture resets it
    x = _x(64)
    model = keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(8, activation="relu", bias_initializer=keras.initializers.Constant(-1e3), name="dead"),
            keras.layers.Dense(8, activation="hard_sigmoid_custom", name="hs"),
            keras.layers.Dense(2, name="out"),
        ]
    )
    model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    y = np.zeros(64, "int32")
    callbacks = [DeadUnitMonitor(x), SaturationMonitor(x), GradientFlowMonitor(x, y)]
    history = model.fit(x, y, epochs=1, verbose=0, callbacks=callbacks).history
    assert history["dead_fraction/dead"] == [1.0]
    # The dead layer feeds zeros: hard_sigmoid(bias) with a zero bias is 0.5, not saturated.
    assert history["saturated_fraction/hs"] == [0.0]
    assert history["grad_norm/dead"] == [0.0] and history["grad_norm/out"][0] > 0


def test_dead_units_of_a_conv_layer_are_channels():
    model = keras.Sequential([keras.Input((6, 6, 2)), keras.layers.Conv2D(4, 3, activation="relu", name="conv")])
    kernel, bias = model.layers[0].get_weights()
    bias[:] = [0.0, -1e3, 0.0, -1e3]
    model.layers[0].set_weights([kernel, bias])
    x = np.random.default_rng(0).standard_normal((10, 6, 6, 2)).astype("float32")
    assert DeadUnitMonitor(x).measure(model)["dead_fraction/conv"] == 0.5


@pytest.mark.parametrize("activation, lo, hi", [("sigmoid", 0.01, 0.99), ("tanh_custom", -0.98, 0.98)])
def test_saturation_monitor_matches_numpy(activation, lo, hi):
    model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(32, activation=activation, name="d")])
    w = 2.0 * np.random.default_rng(2).standard_normal((12, 32)).astype("float32")
    b = np.zeros(32, "float32")
    model.layers[0].set_weights([w, b])
    x = _x()
    z = x @ w + b
    y = 1 / (1 + np.exp(-z)) if activation == "sigmoid" else np.tanh(z)
    expected = np.mean((y <= lo) | (y >= hi))
    measured = SaturationMonitor(x).measure(model)["saturated_fraction/d"]
    assert 0.2 < expected < 0.9
    assert measured == pytest.approx(expected, abs=2 / y.size)  # float32 vs float64 at the margin


def test_gradient_norms_match_a_numpy_backward_pass():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((40, 5)).astype("float32")
    t = rng.standard_normal((40, 2)).astype("float32")
    model = keras.Sequential(
        [keras.Input((5,)), keras.layers.Dense(7, activation="tanh", name="a"), keras.layers.Dense(2, name="b")]
    )
    model.compile(loss="mse")
    w1, b1 = model.layers[0].get_weights()
    w2, b2 = model.layers[1].get_weights()
    x64, t64 = x.astype("float64"), t.astype("float64")
    h = np.tanh(x64 @ w1 + b1)
    out = h @ w2 + b2
    d_out = 2 * (out - t64) / out.size  # d mean((out - t)^2)
    g_w2, g_b2 = h.T @ d_out, d_out.sum(0)
    d_pre = (d_out @ w2.T) * (1 - h**2)
    g_w1, g_b1 = x64.T @ d_pre, d_pre.sum(0)
    expected_a = np.sqrt(np.sum(g_w1**2) + np.sum(g_b1**2))
    expected_b = np.sqrt(np.sum(g_w2**2) + np.sum(g_b2**2))
    norms = gradient_norms(model, x, t)
    assert norms["a"] == pytest.approx(expected_a, rel=1e-4)
    assert norms["b"] == pytest.approx(expected_b, rel=1e-4)
    values = GradientFlowMonitor(x, t).measure(model)
    assert values["grad_ratio"] == pytest.approx(expected_a / expected_b, rel=1e-4)
    # An explicit loss gives the same numbers on an uncompiled model.
    fresh = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, name="c")])
    assert gradient_norms(fresh, x, t, loss="mse")["c"] > 0


def test_activation_stats_matches_numpy():
    model = keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(10, activation="relu", name="r"),
            keras.layers.Dense(10, name="linear"),
            keras.layers.Activation("tanh_custom", name="t"),
        ]
    )
    x = _x()
    w1, b1 = model.layers[0].get_weights()
    w2, b2 = model.layers[1].get_weights()
    r = np.maximum(x @ w1 + b1, 0)
    t = np.tanh(r @ w2 + b2)
    table = activation_stats(model, x)
    assert [row.layer for row in table] == ["r", "t"]  # the linear Dense applies no activation
    for row, y in zip(table, (r, t)):
        assert row.mean == pytest.approx(y.mean(), abs=1e-5)
        assert row.std == pytest.approx(y.std(), abs=1e-5)
        assert row.zero_fraction == pytest.approx(np.mean(y == 0))
    assert table[0].zero_fraction > 0.2
    text = str(table)
    assert "relu" in text.splitlines()[2] and "tanh_custom" in text.splitlines()[3]


def test_errors_are_clear():
    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(3, activation="relu")

        def call(self, x):
            return self.d(x)

    model = Sub()
    model(_x(4))
    with pytest.raises(ValueError, match="Sequential or functional model"):
        DeadUnitMonitor(_x(4)).measure(model)
    with pytest.raises(ValueError, match=r"needs a model: pass measure\(model\)"):
        DeadUnitMonitor(_x(4)).measure()
    with pytest.raises(ValueError, match="tolerance"):
        SaturationMonitor(_x(4), tolerance=0.7)
    uncompiled = keras.Sequential([keras.Input((12,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="compile"):
        gradient_norms(uncompiled, _x(4), np.zeros((4, 2)))


# ------------------------------------------------------------ under model.fit


def test_monitors_under_fit_write_history_and_tensorboard(tmp_path):
    # On every backend: the event file is written with tf.summary (TensorFlow
    # installed, as keras.callbacks.TensorBoard needs too).
    import tensorflow as tf

    x = _x(256)
    y = (x[:, 0] > 0).astype("int32")
    model = keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(16, activation="relu", name="h1"),
            keras.layers.Dense(16, activation="sigmoid_custom", name="h2"),
            keras.layers.Dense(2, activation="softmax", name="out"),
        ]
    )
    # XLA on, as "auto" gives on an accelerator (on a CPU-only machine "auto" means off).
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=COMPILE)
    dead = DeadUnitMonitor(x[:64], log_dir=tmp_path)
    callbacks = [dead, SaturationMonitor(x[:64]), GradientFlowMonitor(x[:64], y[:64])]
    history = model.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=callbacks).history
    assert model.jit_compile is COMPILE  # the monitors left XLA on
    for key in ("dead_fraction/h1", "dead_fraction/h2", "dead_fraction", "saturated_fraction/h2",
                "grad_norm/h1", "grad_norm/out", "grad_ratio"):
        assert len(history[key]) == 2, key
    assert history["dead_fraction/h2"] == [0.0, 0.0]  # sigmoid units cannot die
    assert all(math.isfinite(v) and v > 0 for v in history["grad_ratio"])
    # The last logged value is what numpy says of the final weights.
    w, b = model.get_layer("h1").get_weights()
    h = np.maximum(x[:64] @ w + b, 0)
    assert history["dead_fraction/h1"][-1] == pytest.approx(np.mean(np.all(h == 0, axis=0)))
    assert dead.history["dead_fraction/h1"] == history["dead_fraction/h1"]
    # TensorBoard scalars, readable without the tensorboard package.
    (events,) = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    written = {}
    for event in tf.compat.v1.train.summary_iterator(events):
        for value in event.summary.value:
            written[(value.tag, event.step)] = float(tf.make_ndarray(value.tensor))
            assert value.metadata.plugin_data.plugin_name == "scalars"
    assert written[("dead_fraction/h1", 1)] == pytest.approx(history["dead_fraction/h1"][1])


# ------------------------------------------------------- the notes' claims


def test_claim_deep_sigmoid_gradient_vanishes():
    example = _example("vanishing_gradients")
    sigmoid = example.measure("sigmoid_custom", depth=10)["init_ratio"]
    relu = example.measure("relu_custom", depth=10)["init_ratio"]
    elu = example.measure("elu_custom", depth=10)["init_ratio"]
    assert sigmoid < 1e-3  # first-layer gradient orders of magnitude below the last (measured 2e-6)
    assert relu > 0.1 and elu > 0.1  # measured 0.50 and 0.70
    assert relu / sigmoid > 1e3


def test_claim_large_learning_rate_kills_relu_units_not_leaky_or_prelu():
    pytest.importorskip("keras_act.layers")
    example = _example("dying_relu")
    relu = example.train("relu", 0.1, epochs=2)
    leaky = example.train("leaky_relu", 0.1, epochs=2)
    prelu = example.train("prelu", 0.1, epochs=2)
    gentle = example.train("relu", 0.001, epochs=2)
    assert relu["dead_before"] < 0.01  # measured 1 unit of 384
    assert relu["dead"][-1] > 0.3  # measured 0.53 after 2 epochs
    assert gentle["dead"][-1] < 0.05  # measured 0.01
    assert leaky["dead"][-1] == 0.0 and prelu["dead"][-1] == 0.0
    # Not just by definition: they end with fewer all-negative units, and learn.
    # The README's numbers and these margins are TensorFlow's: JAX's and
    # PyTorch's random streams draw other initial weights, and after 2 epochs
    # LeakyReLU's all-negative share came out 0.40 and 0.30 there, against
    # ReLU's dead 0.40 and 0.34 (the dead units above hold on every backend).
    if keras.backend.backend() == "tensorflow":
        assert leaky["all_negative"] < relu["dead"][-1] - 0.1
        assert prelu["test_accuracy"] > relu["test_accuracy"] + 0.3
        assert leaky["test_accuracy"] > relu["test_accuracy"] + 0.2


def test_claim_initializer_must_match_activation():
    example = _example("initialization")
    std = {pair: example.output_stats(*pair).column("std") for pair in example.PAIRS}
    tanh = std[("tanh_custom", "glorot_uniform")]
    relu_xavier = std[("relu_custom", "glorot_uniform")]
    relu_he = std[("relu_custom", "he_normal")]
    selu = example.output_stats("selu_custom", "lecun_normal")
    assert len(tanh) == 10
    assert 0.1 < tanh[-1] < 1.0  # measured 0.23
    assert 0.8 < selu[-1].std < 1.25 and abs(selu[-1].mean) < 0.1  # measured 1.00 and 0.004
    assert 0.5 < relu_he[-1] < 2.0  # measured 0.90
    assert relu_xavier[-1] < 0.25 * relu_he[-1]  # measured 0.028 against 0.90
    assert relu_xavier[-1] < relu_xavier[0] / 10  # it shrinks layer after layer


def test_monitors_watch_recurrent_layers_given_an_activation():
    # The README: "every layer that applies an activation: a layer given activation=".
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 5, 3)).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((5, 3)),
            keras.layers.LSTM(4, activation="relu_custom", return_sequences=True, name="lstm"),
            keras.layers.GRU(4, activation="sigmoid", return_sequences=True, name="gru"),
            keras.layers.SimpleRNN(4, activation="tanh_custom", name="rnn"),
        ]
    )
    dead = DeadUnitMonitor(x).measure(model)
    saturated = SaturationMonitor(x).measure(model)
    for name in ("lstm", "gru", "rnn"):
        assert f"dead_fraction/{name}" in dead and f"saturated_fraction/{name}" in saturated
    # LSTM output o * relu(c): 0 exactly where relu is flat. Force unit 0 dead: its cell input is
    # always very negative (kernel, recurrent kernel 0; bias -100 for the candidate c).
    lstm = model.get_layer("lstm")
    kernel, recurrent, bias = (keras.ops.convert_to_numpy(w) for w in lstm.weights)
    units = 4
    kernel[:, 2 * units] = 0.0
    recurrent[:, 2 * units] = 0.0
    bias[2 * units] = -100.0
    lstm.set_weights([kernel, recurrent, bias])
    assert DeadUnitMonitor(x).measure(model)["dead_fraction/lstm"] == 0.25
    # A gate hides the activation's asymptotes: sigmoid's 0 and 1 are not visible in a GRU's output.
    assert saturated["saturated_fraction/gru"] == 0.0


def test_dead_unit_monitor_calls_prelu_after_conv2d_only_with_shapes_it_accepts(monkeypatch):
    # Calling PReLU on a (1, 4) probe made TensorFlow log "Local rendezvous is aborting
    # ... Incompatible shapes: [8] vs. [1,4]" every epoch, though the error was caught.
    failures = []
    original = keras_act.layers.PReLU.call

    def recording_call(self, inputs):
        try:
            return original(self, inputs)
        except Exception as e:
            failures.append((tuple(inputs.shape), type(e).__name__))
            raise

    monkeypatch.setattr(keras_act.layers.PReLU, "call", recording_call)
    x = np.random.default_rng(0).standard_normal((16, 6, 6, 3)).astype("float32")
    model = keras.Sequential(
        [keras.Input((6, 6, 3)), keras.layers.Conv2D(8, 3), keras_act.layers.PReLU(name="prelu")]
    )
    values = DeadUnitMonitor(x).measure(model)
    assert values["dead_fraction/prelu"] == 0.0
    assert failures == []


@pytest.mark.slow
@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TensorFlow's C++ log is written only by the TensorFlow backend")
def test_prelu_after_conv2d_logs_nothing_from_tensorflow(tmp_path):
    import os
    import subprocess
    import sys

    script = tmp_path / "fit.py"
    script.write_text(
        "import numpy as np, keras, keras_act\n"
        "from keras_act.diagnostics import DeadUnitMonitor\n"
        "x = np.random.default_rng(0).standard_normal((32, 6, 6, 3)).astype('float32')\n"
        "m = keras.Sequential([keras.Input((6, 6, 3)), keras.layers.Conv2D(8, 3), keras_act.layers.PReLU(),\n"
        "                      keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2, activation='softmax')])\n"
        "m.compile('adam', 'sparse_categorical_crossentropy')\n"
        "m.fit(x, np.arange(32) % 2, epochs=2, verbose=0, callbacks=[DeadUnitMonitor(x[:8])])\n"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "0"}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Local rendezvous" not in done.stderr and "Incompatible shapes" not in done.stderr
