"""The contract every keras_act layer keeps (STYLE.md, issue 3)."""

import inspect

import numpy as np
import pytest

import keras
import keras_act
from keras_act import layers
from tests.conftest import COMPILE
from tests.layers._cases import CASES, ELEMENTWISE, make

NAMES = sorted(CASES)
BASE_CONFIG_KEYS = set(keras.layers.Layer(name="probe").get_config())


def test_every_exported_layer_has_a_case():
    assert sorted(layers.__all__) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_registered_under_keras_act_and_never_as_a_builtin(name):
    cls = getattr(layers, name)
    assert keras.saving.get_registered_name(cls) == f"keras_act>{name}"
    # The Keras built-in of the same Python name is untouched.
    if hasattr(keras.layers, name):
        assert keras.saving.get_registered_name(getattr(keras.layers, name)) != f"keras_act>{name}"
        assert getattr(keras.layers, name) is not cls


@pytest.mark.parametrize("name", NAMES)
def test_activation_id_names_a_record(name):
    cls = getattr(layers, name)
    assert "activation_id" in vars(cls)
    if cls.activation_id is not None:
        assert cls.activation_id in keras_act.list_activations()


@pytest.mark.parametrize("name", [n for n in NAMES if getattr(layers, n).activation_id])
def test_layer_with_default_arguments_equals_its_string_id(name):
    cls = getattr(layers, name)
    x = np.random.RandomState(0).normal(scale=3.0, size=(4, 6)).astype("float32")
    expected = keras.activations.get(cls.activation_id)(x)
    np.testing.assert_allclose(cls()(x), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_get_config_holds_exactly_the_init_arguments(name):
    cls = getattr(layers, name)
    layer = make(name)
    config = layer.get_config()
    own = set(config) - BASE_CONFIG_KEYS
    params = set(inspect.signature(cls.__init__).parameters) - {"self", "kwargs"}
    assert own == params
    clone = cls.from_config(config)
    assert clone.get_config() == config
    for key, value in CASES[name][0].items():
        if not isinstance(value, keras.initializers.Initializer):
            assert config[key] == value


@pytest.mark.parametrize("name", NAMES)
def test_symbolic_and_eager_shapes_and_weights(name):
    _, shape, num_weights = CASES[name]
    layer = make(name)
    assert not layer.weights  # weights are made in build, never in __init__
    symbolic = layer(keras.Input(shape))
    expected_shape = layer.compute_output_shape((None, *shape))
    assert tuple(symbolic.shape) == tuple(expected_shape)
    x = np.random.RandomState(0).normal(size=(3, *shape)).astype("float32")
    eager = layer(x)
    assert tuple(eager.shape) == (3, *expected_shape[1:])
    assert len(layer.weights) == num_weights
    assert all(w.dtype == "float32" for w in layer.weights)
    assert layer.supports_jit


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_layers_pass_the_mask_on(name):
    tokens = np.array([[1, 2, 0, 0]])
    inputs = keras.Input((4,), dtype="int32")
    embedded = keras.layers.Embedding(5, 6, mask_zero=True)(inputs)
    out = make(name)(embedded)
    mask = keras.Model(inputs, out._keras_mask)(tokens)
    np.testing.assert_array_equal(np.asarray(mask), [[True, True, False, False]])


def _all_layers_model():
    """One functional model with every layer on its own branch."""
    inputs, outputs = [], []
    for name in NAMES:
        _, shape, _ = CASES[name]
        inp = keras.Input((*shape[:-1], 8), name=f"in_{name}")
        hidden = keras.layers.Dense(shape[-1])(inp)
        out = keras.layers.Flatten()(make(name)(hidden))
        inputs.append(inp)
        outputs.append(keras.layers.Dense(1, dtype="float32")(out))
    return keras.Model(inputs, keras.layers.Add(dtype="float32")(outputs))


def _data(model, n=16):
    rng = np.random.RandomState(0)
    x = {t.name: rng.normal(size=(n, *t.shape[1:])).astype("float32") for t in model.inputs}
    return x, rng.normal(size=(n, 1)).astype("float32")


@pytest.mark.slow
@pytest.mark.parametrize("jit_compile", [True, False])
def test_every_layer_trains_under_fit(jit_compile):
    model = _all_layers_model()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", jit_compile=jit_compile)
    assert model.jit_compile is jit_compile
    before = [keras.ops.convert_to_numpy(v) for v in model.trainable_variables]
    x, y = _data(model)
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]
    changed = [not np.array_equal(b, keras.ops.convert_to_numpy(v)) for b, v in zip(before, model.trainable_variables)]
    assert all(changed), [v.path for v, c in zip(model.trainable_variables, changed) if not c]


def test_every_layer_supports_jit():
    # jit_compile="auto" picks XLA (on an accelerator) only if all layers do.
    model = _all_layers_model()
    assert all(layer.supports_jit for layer in model.layers)
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    assert model.jit_compile is True  # Keras falls back to False if any layer refuses


@pytest.mark.slow
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision_compute_dtype_out_float32_variables(policy):
    keras.config.set_dtype_policy(policy)
    compute = policy.split("_")[1]
    for name in NAMES:
        _, shape, _ = CASES[name]
        layer = make(name)
        out = layer(np.random.RandomState(0).normal(size=(2, *shape)).astype("float32"))
        assert keras.backend.standardize_dtype(out.dtype) == compute, name
        assert all(w.dtype == "float32" for w in layer.weights), name
        if name == "RReLU":
            assert keras.backend.standardize_dtype(layer(np.ones((2, *shape), "float32"), training=True).dtype) == compute
    # A full XLA training step where it has gone wrong before: random
    # sampling (tensorflow#59678) and float32 weights meeting float16
    # tensors (tensorflow#45919).
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(6),
            make("RReLU"),
            make("PReLU"),
            make("Swish"),
            make("Snake"),
            keras.layers.Dense(1, dtype="float32"),
        ]
    )
    model.compile(optimizer="adam", loss="mse", jit_compile=COMPILE)
    assert model.jit_compile is COMPILE
    rng = np.random.RandomState(0)
    history = model.fit(rng.normal(size=(16, 8)), rng.normal(size=(16, 1)), epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert all(w.dtype == "float32" for w in model.weights)
