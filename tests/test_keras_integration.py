"""Every id inside Keras: Dense(activation=...), Activation(...), .keras round trip."""

import json
import zipfile

import numpy as np
import pytest

import keras
import keras_act
from tests.references import reference

IDS = keras_act.list_activations()


def _model(name):
    # Two parallel branches, each ending in the activation, so that glu_custom
    # (which halves the last axis, unknown to Dense's shape inference) fits too.
    inputs = keras.Input(shape=(6,))
    dense_act = keras.layers.Dense(8, activation=name, name="dense_act")(inputs)
    act = keras.layers.Activation(name, name="act")(keras.layers.Dense(8, name="dense_lin")(inputs))
    return keras.Model(inputs, [dense_act, act])


@pytest.mark.parametrize("name", IDS)
def test_string_id_in_dense_and_activation(name, tmp_path):
    model = _model(name)
    assert model.get_layer("dense_act").activation is keras_act.get(name)
    assert model.get_layer("act").activation is keras_act.get(name)
    x = np.random.default_rng(0).normal(size=(5, 6)).astype("float32")
    y = model.predict(x, verbose=0)

    # The layers apply exactly the activation: check against the float64 reference.
    x64 = x.astype("float64")
    for out, layer in zip(y, ("dense_act", "dense_lin")):
        kernel, bias = (w.astype("float64") for w in model.get_layer(layer).get_weights())
        np.testing.assert_allclose(out, reference(name, x64 @ kernel + bias), rtol=1e-4, atol=1e-5)

    path = tmp_path / "model.keras"
    model.save(path)
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    canonical = keras_act.record(name).name
    assert f"keras_act>{canonical}" in json.dumps(config)
    reloaded = keras.saving.load_model(path)  # safe_mode=True
    for out, expected in zip(reloaded.predict(x, verbose=0), y):
        np.testing.assert_array_equal(out, expected)
    assert reloaded.get_layer("dense_act").activation is keras_act.get(name)


def test_model_trains_with_string_ids():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(256, 4)).astype("float32")
    y = (x[:, 0] * x[:, 1] > 0).astype("int32")
    model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(32, activation="mish_custom"),
            keras.layers.Dense(32, activation="selu_custom", kernel_initializer="lecun_normal"),
            keras.layers.Dense(2, activation="softmax_custom"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=30, batch_size=64, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_get_accepts_a_callable_and_a_serialized_dict():
    fn = keras_act.get("selu_custom")
    assert keras_act.get(fn) is fn
    assert keras_act.get(keras.activations.serialize(fn)) is fn
    assert keras.activations.serialize(fn)["config"] == "keras_act>selu_custom"
    assert keras.activations.get(keras.activations.serialize(fn)) is fn


def test_alias_resolves_to_the_canonical_function():
    assert keras_act.get("swish_custom") is keras_act.get("silu_custom")
    assert keras.activations.get("swish_custom") is keras_act.get("silu_custom")
    assert keras.saving.get_registered_object("keras_act>swish_custom") is keras_act.get("silu_custom")


def test_keras_builtins_are_untouched():
    for name in ("relu", "selu", "gelu", "swish", "hard_sigmoid", "leaky_relu", "softmax"):
        assert keras.activations.get(name).__module__.startswith("keras.")
    assert not any(n in keras_act.list_activations() for n in keras_act._keras_internals.builtin_names() - set(IDS))


def test_every_id_is_registered_with_the_keras_act_package():
    for name in IDS:
        fn = keras_act.get(name)
        assert keras.saving.get_registered_name(fn) == f"keras_act>{keras_act.record(name).name}"
        assert fn.__name__ == keras_act.record(name).name
