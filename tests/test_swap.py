"""keras_act.swap_activations and `keras-act swap`.

References are independent of the swap: a model built by hand with the new
activations and given the same weights, numpy formulas, or the original
model with its activation attributes patched in memory.
"""

import hashlib
import json
import os
import pathlib
import re
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_act
from keras_act import cli

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)

ROOT = pathlib.Path(__file__).resolve().parents[1]


def np_out(model, x):
    if keras.backend.backend() == "jax":
        # One compiled call: eager JAX compiles op by op (a minute for a small BERT on loaded cores).
        import jax

        call = jax.jit(lambda tv, ntv, x: model.stateless_call(tv, ntv, x, training=False)[0])
        y = call([v.value for v in model.trainable_variables], [v.value for v in model.non_trainable_variables], x)
    else:
        y = model(x, training=False)
    return keras.tree.map_structure(lambda t: np.asarray(keras.ops.convert_to_numpy(t)), y)


def _sequential():
    return keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, activation="relu", name="d1"),
            keras.layers.Activation("relu", name="act"),
            keras.layers.Dense(4, name="d2"),
            keras.layers.ReLU(name="r"),
            keras.layers.Dense(3, activation="tanh", name="d3"),
        ]
    )


X6 = np.random.default_rng(0).normal(size=(8, 6)).astype("float32")


def _same_weights(old, new):
    """Every weight of `new` equals the weight of `old` at the same place, and is another variable."""
    for o, n in zip(old.weights, new.weights):
        assert o is not n
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(o), keras.ops.convert_to_numpy(n))


# ----------------------------------------------------------------- models


def test_same_function_gives_equal_outputs_and_leaves_the_original_alone():
    model = _sequential()
    before = np_out(model, X6)
    new = keras_act.swap_activations(model, {"relu": "relu_custom", "tanh": "tanh_custom"})
    assert new is not model
    assert new.get_layer("d1").activation is keras_act.get("relu_custom")
    assert new.get_layer("act").activation is keras_act.get("relu_custom")
    assert new.get_layer("d3").activation is keras_act.get("tanh_custom")
    assert model.get_layer("d1").activation is keras.activations.relu  # untouched
    assert isinstance(new.get_layer("r"), keras.layers.ReLU)  # a string key does not match layer classes
    _same_weights(model, new)
    np.testing.assert_allclose(np_out(new, X6), before, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(np_out(model, X6), before)
    # Weights are copies: training the new model leaves the old one as it was.
    new.get_layer("d1").kernel.assign(np.zeros((6, 5), "float32"))
    np.testing.assert_array_equal(np_out(model, X6), before)


def test_functional_nested_and_recurrent_equal_a_model_built_with_the_new_activations():
    def build(act, gate, inner_name="inner"):
        inner = keras.Sequential(
            [keras.layers.Dense(4, activation=act, name="dense"), keras.layers.Activation(act, name="activation")],
            name=inner_name,
        )
        i = keras.Input((6,))
        x = keras.layers.Reshape((3, 2))(i)
        x = keras.layers.LSTM(3, recurrent_activation=gate, name="lstm")(x)
        x = inner(x)
        return keras.Model(i, keras.layers.Dense(2, activation=act, name="head")(x))

    model = build("relu", "sigmoid")
    report = keras_act.swap_activations(model, {"relu": "elu_custom", "sigmoid": "hard_sigmoid"}, strict=False)
    assert report.complete and report.unreached == () and report.unmatched == ()
    assert [(p.path, p.where, p.old, p.new) for p in report.swapped] == [
        ("lstm/lstm_cell", "recurrent_activation", "sigmoid", "hard_sigmoid"),
        ("inner/dense", "activation", "relu", "elu_custom"),
        ("inner/activation", "activation", "relu", "elu_custom"),
        ("head", "activation", "relu", "elu_custom"),
    ]
    expected = build(keras_act.get("elu_custom"), "hard_sigmoid", inner_name="inner_2")
    expected.set_weights(model.get_weights())
    _same_weights(model, report.model)
    np.testing.assert_allclose(np_out(report.model, X6), np_out(expected, X6), rtol=1e-6, atol=1e-6)
    assert re.search(r"^inner/dense +activation +relu +elu_custom$", report.table(), re.M)


def test_a_layer_value_is_copied_per_place_with_fresh_weights():
    template = keras_act.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.1))
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, name="d1"),
            keras.layers.ReLU(name="r1"),
            keras.layers.Dense(5, name="d2"),
            keras.layers.ReLU(name="r2"),
        ]
    )
    report = keras_act.swap_activations(model, {keras.layers.ReLU: template}, strict=False)
    new = report.model
    r1, r2 = new.get_layer("r1"), new.get_layer("r2")
    assert type(r1) is type(r2) is keras_act.layers.PReLU
    assert r1 is not template and r2 is not template and r1.alpha is not r2.alpha
    assert not template.built  # the template is only read
    assert report.fresh_weights == ("r1", "r2")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(r1.alpha), np.full((5,), 0.1, "float32"))
    r1.alpha.assign(np.full((5,), 0.5, "float32"))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(r2.alpha), np.full((5,), 0.1, "float32"))
    # The reference: numpy, with the copied kernels and the two slopes.
    w = [keras.ops.convert_to_numpy(v) for v in model.weights]
    h = X6 @ w[0] + w[1]
    h = np.where(h > 0, h, 0.5 * h)
    h = h @ w[2] + w[3]
    h = np.where(h > 0, h, 0.1 * h)
    np.testing.assert_allclose(np_out(new, X6), h, rtol=1e-5, atol=1e-6)


def test_a_weighted_layer_as_activation_argument_is_built_and_keeps_the_place_dtype():
    keras.config.set_dtype_policy("mixed_float16")
    model = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(4, activation="relu", name="d1"), keras.layers.ReLU(name="r")]
    )
    keras.config.set_dtype_policy("float32")
    new = keras_act.swap_activations(
        model, {"relu": keras_act.layers.PReLU(), keras.layers.ReLU: "leaky_relu_custom"}
    )
    inner = new.get_layer("d1").activation
    assert isinstance(inner, keras_act.layers.PReLU) and inner.built
    assert inner.dtype_policy.name == "mixed_float16" and new.get_layer("r").dtype_policy.name == "mixed_float16"
    assert isinstance(new.get_layer("r"), keras.layers.Activation)
    assert new.get_layer("r").activation is keras_act.get("leaky_relu_custom")
    assert [w.path for w in new.get_layer("d1").weights][-1].endswith("alpha")
    y = np_out(new, X6)
    assert y.dtype == np.float16
    kernel, bias = (keras.ops.convert_to_numpy(v).astype("float32") for v in model.get_layer("d1").weights)
    h = X6.astype("float16").astype("float32") @ kernel + bias
    h = np.where(h > 0, h, 0.25 * h)  # PReLU's initial slope
    slope = keras_act.record("leaky_relu_custom").defaults["negative_slope"]
    h = np.where(h > 0, h, slope * h)
    np.testing.assert_allclose(y.astype("float32"), h, rtol=1e-2, atol=1e-2)


@keras.saving.register_keras_serializable(package="keras_act_tests")
class _Block(keras.layers.Layer):
    """Applies relu in code: in an inner Dense it creates, and in call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(3, activation="relu")

    def build(self, input_shape):
        self.inner.build(input_shape)

    def call(self, x):
        return keras.ops.relu(self.inner(x))

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], 3)


@keras.saving.register_keras_serializable(package="keras_act_tests")
class _HiddenActivation(keras.layers.Layer):
    """Carries its activations under other config keys, as keras-hub's layers do."""

    def __init__(self, hidden_activation="gelu", intermediate_activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.hidden_activation = keras.activations.get(hidden_activation)
        self.intermediate_activation = keras.activations.get(intermediate_activation)
        self._names = (hidden_activation, intermediate_activation)

    def call(self, x):
        return self.intermediate_activation(self.hidden_activation(x))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "hidden_activation": self._names[0],
            "intermediate_activation": self._names[1],
        }


def test_what_a_config_cannot_change_is_listed_by_path():
    i = keras.Input((4,))
    x = keras.layers.Dense(4, activation="relu", name="ok")(i)
    x = _Block(name="block")(x)
    x = keras.layers.Lambda(keras.activations.relu, output_shape=(3,), name="lam_fn")(x)
    x = keras.layers.Lambda(lambda t: keras.ops.relu(t) * 2.0, output_shape=(3,), name="lam_code")(x)
    model = keras.Model(i, x)
    with pytest.raises(ValueError, match=r"could not reach 4 place\(s\)") as raised:
        keras_act.swap_activations(model, {"relu": "relu6_custom"})
    message = str(raised.value)
    for place in ("block/dense", "block ((code): relu: _Block.call refers to relu", "lam_fn", "lam_code"):
        assert place in message, place
    assert "Received: mapping={'relu': 'relu6_custom'}" in message and "strict=False" in message

    report = keras_act.swap_activations(model, {"relu": "relu6_custom"}, strict=False)
    assert not report.complete
    assert [(p.path, p.where) for p in report.swapped] == [("ok", "activation")]
    assert sorted((p.path, p.where) for p in report.unreached) == [
        ("block", "(code)"),
        (f"block/{model.get_layer('block').inner.name}", "activation"),
        ("lam_code", "(code)"),
        ("lam_fn", "(code)"),
    ]
    assert "not swapped" in str(report) and "a Lambda layer's function" in str(report)
    # The partly swapped model still computes: relu6 where reached, relu elsewhere.
    x = np.random.default_rng(1).normal(scale=20.0, size=(5, 4)).astype("float32")
    w = [keras.ops.convert_to_numpy(v) for v in model.weights]
    h = np.clip(x @ w[0] + w[1], 0, 6)
    h = np.maximum(np.maximum(h @ w[2] + w[3], 0), 0) * 2.0
    np.testing.assert_allclose(np_out(report.model, x), h, rtol=1e-5, atol=1e-5)


def test_other_config_keys_carry_activations_too():
    i = keras.Input((5,))
    model = keras.Model(i, _HiddenActivation(name="h")(i))
    new = keras_act.swap_activations(model, {"gelu": "gelu_tanh_custom", "relu": keras_act.get("relu6_custom")})
    layer = new.get_layer("h")
    assert layer.hidden_activation is keras_act.get("gelu_tanh_custom")
    assert layer.intermediate_activation is keras_act.get("relu6_custom")
    config = layer.get_config()
    assert config["hidden_activation"] == "gelu_tanh_custom"  # a string entry stays a string
    assert config["intermediate_activation"]["config"] == "keras_act>relu6_custom"
    x = np.linspace(-8, 8, 20, dtype="float32").reshape(4, 5)
    tanh_gelu = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    np.testing.assert_allclose(np_out(new, x), np.clip(tanh_gelu, 0, 6), rtol=1e-5, atol=1e-6)


@pytest.mark.once  # the config surgery of a real graph; building it takes a minute on JAX
def test_keras_applications_mobilenet_v3():
    model = keras.applications.MobileNetV3Small(
        input_shape=(32, 32, 3), weights=None, include_top=False, include_preprocessing=False
    )
    report = keras_act.swap_activations(model, {"hard_swish": "hard_swish_custom"}, strict=False)
    assert report.complete and len(report.swapped) == sum(
        isinstance(layer, keras.layers.Activation) and layer.activation is keras.activations.hard_swish
        for layer in model.layers
    )
    assert {p.new for p in report.swapped} == {"hard_swish_custom"}
    x = np.random.default_rng(2).uniform(-1, 1, size=(2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(np_out(report.model, x), np_out(model, x), rtol=1e-4, atol=1e-5)


# -------------------------------------------------------------- keras-hub

TOKENS = {
    "token_ids": np.array([[5, 9, 3, 7, 1, 0]], "int32"),
    "segment_ids": np.zeros((1, 6), "int32"),
    "padding_mask": np.array([[1, 1, 1, 1, 1, 0]], "int32"),
}


def _hub():
    return pytest.importorskip("keras_hub")  # in the dev extra, pinned in constraints.txt


def _bert():
    return _hub().models.BertBackbone(
        vocabulary_size=20, num_layers=2, num_heads=2, hidden_dim=8, intermediate_dim=16, max_sequence_length=8
    )


def test_keras_hub_bert_backbone():
    bert = _bert()
    report = keras_act.swap_activations(
        bert, {"keras_hub>gelu_approximate": "gelu_tanh_custom", "tanh": "relu"}, strict=False
    )
    assert report.complete
    assert "BertBackbone's config holds its constructor's arguments" in report.rebuilt_as
    assert [(p.path, p.new) for p in report.swapped] == [
        ("transformer_layer_0", "gelu_tanh_custom"),
        ("transformer_layer_0/feedforward_intermediate_dense", "gelu_tanh_custom"),
        ("transformer_layer_1", "gelu_tanh_custom"),
        ("transformer_layer_1/feedforward_intermediate_dense", "gelu_tanh_custom"),
        ("pooled_dense", "relu"),
    ]
    before, after = np_out(bert, TOKENS), np_out(report.model, TOKENS)
    # gelu_approximate and gelu_tanh_custom are the same function.
    np.testing.assert_allclose(after["sequence_output"], before["sequence_output"], rtol=1e-5, atol=1e-6)
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in bert.get_layer("pooled_dense").weights)
    pooled = np.maximum(after["sequence_output"][:, 0, :] @ kernel + bias, 0)
    np.testing.assert_allclose(after["pooled_output"], pooled, rtol=1e-5, atol=1e-6)
    _same_weights(bert, report.model)


@pytest.mark.once  # the functional-view path test_keras_hub_bert_backbone runs on every backend; 20 s on JAX
def test_keras_hub_llama_style_backbones():
    config = dict(vocabulary_size=20, num_layers=2, num_query_heads=2, num_key_value_heads=1, hidden_dim=8,
                  intermediate_dim=16)
    keras_hub = _hub()
    mistral = keras_hub.models.MistralBackbone(**config)
    new = keras_act.swap_activations(mistral, {"silu": "relu_custom"})
    inputs = {"token_ids": TOKENS["token_ids"], "padding_mask": TOKENS["padding_mask"]}
    # Reference: the original decoders' activation patched in memory (what
    # the config rewrite must be equivalent to).
    assert mistral.get_layer("transformer_layer_0").activation is keras.ops.silu
    saved = {}
    for i in range(2):
        layer = mistral.get_layer(f"transformer_layer_{i}")
        saved[i], layer.activation = layer.activation, keras.activations.relu
    try:
        reference = np_out(mistral, inputs)
    finally:
        for i in range(2):
            mistral.get_layer(f"transformer_layer_{i}").activation = saved[i]
    np.testing.assert_allclose(np_out(new, inputs), reference, rtol=1e-5, atol=1e-6)
    assert all(new.get_layer(f"transformer_layer_{i}").activation is keras_act.get("relu_custom") for i in range(2))

    # keras-hub 0.32's LlamaTransformerDecoder.get_config raises (it reads
    # a rope_scaling_factor it never sets), so no config holds its silu.
    llama = keras_hub.models.LlamaBackbone(**config)
    with pytest.raises(ValueError, match="could not reach 2 place") as raised:
        keras_act.swap_activations(llama, {"silu": "relu_custom"})
    assert "transformer_layer_0 (activation: keras.ops.silu" in str(raised.value)
    assert "transformer_layer_1 (activation" in str(raised.value)


# ----------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "mapping, match",
    [
        ({}, "Expected `mapping` to be a non-empty dict"),
        ({"relu_custm": "elu"}, r"Received: key='relu_custm'. Did you mean 'relu_custom'"),
        ({"relu": "eluu"}, r"Received: value='eluu'. Did you mean 'elu'"),
        ({"relu": 3}, r"Received: value=3"),
        ({keras.layers.ReLU(): "elu"}, "not a layer instance"),
    ],
)
def test_bad_mappings(mapping, match):
    with pytest.raises(ValueError, match=match):
        keras_act.swap_activations(_sequential(), mapping)


def test_a_model_without_config_cannot_be_rebuilt():
    class Net(keras.Model):
        def __init__(self, units):
            super().__init__()
            self.d = keras.layers.Dense(units, activation="relu")

        def call(self, x):
            return self.d(x)

    net = Net(3)
    net(X6)
    with pytest.raises(ValueError, match=r"rebuilds the model from its config.*Received: model="):
        keras_act.swap_activations(net, {"relu": "elu"})


def test_unmatched_keys_are_reported_with_what_the_model_uses():
    report = keras_act.swap_activations(_sequential(), {"gelu": "relu", "tanh": "tanh_custom"}, strict=False)
    assert report.unmatched == ("gelu",)
    assert report.uses == ("relu", "keras.layers.ReLU", "tanh")
    assert "matched nothing: gelu (the model uses: relu, keras.layers.ReLU, tanh)" in str(report)


# -------------------------------------------- saving, in a fresh process

RELOAD = """
import json, sys
import numpy as np
import keras_act, keras
checked = []
for name in sys.argv[2:]:
    model = keras.saving.load_model(f"{sys.argv[1]}/{name}.keras")
    data = np.load(f"{sys.argv[1]}/{name}.npz")
    inputs = {k[3:]: data[k] for k in data.files if k.startswith("in_")}
    inputs = inputs.get("x", inputs)
    out = model(inputs)
    out = out if isinstance(out, dict) else {"y": out}
    for key, value in out.items():
        np.testing.assert_allclose(keras.ops.convert_to_numpy(value), data["out_" + key], rtol=1e-5, atol=1e-5)
    checked.append(name)
print(json.dumps([keras.backend.backend(), checked, "keras_hub" in sys.modules]))
"""


@pytest.mark.once
@pytest.mark.slow
def test_the_result_reloads_in_a_fresh_process_on_every_backend(tmp_path):
    seq = keras_act.swap_activations(
        _sequential(), {"relu": "gelu_tanh_custom", keras.layers.ReLU: "keras_act.layers.PReLU"}
    )
    seq.get_layer("r").alpha.assign(np.linspace(0.1, 0.4, 4).astype("float32"))
    seq.save(tmp_path / "seq.keras")
    np.savez(tmp_path / "seq.npz", in_x=X6, out_y=np_out(seq, X6))
    bert = keras_act.swap_activations(_bert(), {"keras_hub>gelu_approximate": "gelu_custom", "tanh": "relu_custom"})
    bert.save(tmp_path / "bert.keras")
    out = np_out(bert, TOKENS)
    arrays = {**{f"in_{k}": v for k, v in TOKENS.items()}, **{f"out_{k}": v for k, v in out.items()}}
    np.savez(tmp_path / "bert.npz", **arrays)
    # The three processes run side by side: each spends most of its time importing.
    # BERT on TensorFlow only: importing keras_hub imports TensorFlow and tensorflow-text in
    # every process, half a minute each on loaded cores.
    models = {"tensorflow": ["seq", "bert"], "jax": ["seq"], "torch": ["seq"]}
    runs = {}
    for backend, names in models.items():
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
        runs[backend] = subprocess.Popen(
            [sys.executable, "-c", RELOAD, str(tmp_path), *names],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
    for backend, process in runs.items():
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-3000:]
        # keras_hub is imported by Keras itself while loading BERT (its layers' module), not by the script.
        assert json.loads(stdout.splitlines()[-1]) == [backend, models[backend], backend == "tensorflow"]


# -------------------------------------------------------------------- CLI


def _cli(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _saved(path):
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(4, activation="swish", name="d1"),
            keras.layers.Dense(3, activation="gelu", name="d2"),
        ]
    )
    model.save(path)
    return path, model


def _digest(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


@pytest.mark.once
def test_cli_swap_prints_the_table_and_writes_out(capsys, tmp_path):
    source, model = _saved(tmp_path / "in.keras")
    digest = _digest(source)
    target = tmp_path / "out.keras"
    code, out, err = _cli(
        capsys, "swap", str(source), str(target), "--map", "swish=hard_swish_custom", "--map", "gelu=gelu_tanh_custom"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["layer", "where", "old", "new"]
    assert lines[2].split() == ["d1", "activation", "silu", "hard_swish_custom"]
    assert lines[3].split() == ["d2", "activation", "gelu", "gelu_tanh_custom"]
    assert lines[-1] == f"wrote {target}"
    assert _digest(source) == digest
    assert {p.name for p in tmp_path.iterdir()} == {"in.keras", "out.keras"}  # no temporary left
    new = keras.saving.load_model(target)
    assert new.get_layer("d1").activation is keras_act.get("hard_swish_custom")
    _same_weights(model, new)

    # Refuses to overwrite without --force, before loading anything; --force replaces.
    code, out, err = _cli(capsys, "swap", str(source), str(target), "--map", "swish=relu")
    assert code == 1 and out == "" and "already exists" in err and "--force" in err
    code, out, _ = _cli(capsys, "swap", str(source), str(target), "--map", "swish=relu", "--force")
    assert code == 0 and keras.saving.load_model(target).get_layer("d1").activation is keras.activations.relu
    assert _digest(source) == digest


@pytest.mark.once
@pytest.mark.parametrize(
    "argv, code, match",
    [
        (["--map", "swish"], 2, "--map expects FROM=TO"),
        (["--map", "swsh=relu"], 1, "Did you mean 'swish'"),
        (["--map", "tanh=relu"], 1, "nothing to swap: tanh matched nothing .* uses: silu, gelu"),
        (["--map", "swish=relu", "--same"], 2, "unrecognized arguments"),
    ],
)
def test_cli_swap_bad_input_is_one_line(capsys, tmp_path, argv, code, match):
    source, _ = _saved(tmp_path / "in.keras")
    if "--same" in argv:
        argv = argv[:-1]
        target = source
        match = "OUT must differ from IN"
    else:
        target = tmp_path / "out.keras"
    got, out, err = _cli(capsys, "swap", str(source), str(target), *argv)
    assert got == code and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keras-act: error: ")
    assert re.search(match, lines[0]), lines[0]
    assert {p.name for p in tmp_path.iterdir()} == {"in.keras"}


@pytest.mark.once
def test_cli_swap_refuses_a_partial_swap_unless_asked(capsys, tmp_path):
    i = keras.Input((4,))
    model = keras.Model(i, _Block(name="block")(keras.layers.Dense(4, activation="relu", name="ok")(i)))
    source = tmp_path / "in.keras"
    model.save(source)
    target = tmp_path / "out.keras"
    code, out, err = _cli(capsys, "swap", str(source), str(target), "--map", "relu=elu")
    assert code == 1 and out == ""
    assert err.startswith("keras-act: error: 2 place(s) still apply a mapped activation: block/")
    assert "Nothing written" in err and len(err.strip().splitlines()) == 1
    assert {p.name for p in tmp_path.iterdir()} == {"in.keras"}
    code, out, err = _cli(capsys, "swap", str(source), str(target), "--map", "relu=elu", "--partial")
    assert code == 0 and "not swapped" in out and out.splitlines()[2].split() == ["ok", "activation", "relu", "elu"]
    assert keras.saving.load_model(target).get_layer("ok").activation is keras.activations.elu
