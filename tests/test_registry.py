"""Look-ups, errors and the guarded contact with Keras internals."""

import re

import numpy as np
import pytest

import keras
import keras_act
from keras_act import _keras_internals
from keras_act._docs import render

INFO_KEYS = {
    "formula",
    "output_range",
    "zero_centered",
    "monotonic",
    "smooth",
    "saturates",
    "recommended_initializer",
    "reference",
}


@pytest.mark.parametrize("name", keras_act.list_activations())
def test_info_describes_every_id(name):
    info = keras_act.info(name)
    assert INFO_KEYS <= set(info)
    assert info["recommended_initializer"] in {"glorot_uniform", "he_normal", "lecun_normal"}
    keras.initializers.get(info["recommended_initializer"])  # a real Keras initializer
    assert re.search(r"(19|20)\d\d|https://", info["reference"])  # a year or a link
    assert name.endswith("_custom")


def test_info_for_selu():
    info = keras_act.info("selu_custom")
    assert info["recommended_initializer"] == "lecun_normal"
    assert info["zero_centered"] is True
    assert info["output_range"][0] == pytest.approx(-1.7580993408473766)
    assert "Klambauer" in info["reference"]


@pytest.mark.parametrize(
    "typo, suggestion",
    [("selu_costum", "selu_custom"), ("selu", "selu_custom"), ("leakyrelu_custom", "leaky_relu_custom"), ("gelu_tahn_custom", "gelu_tanh_custom")],
)
def test_unknown_id_suggests_the_closest(typo, suggestion):
    with pytest.raises(ValueError, match=f"Did you mean '{suggestion}'"):
        keras_act.get(typo)
    with pytest.raises(ValueError, match=f"Did you mean '{suggestion}'"):
        keras_act.info(typo)


def test_unknown_id_without_a_close_match():
    with pytest.raises(ValueError, match="Unknown keras_act activation id. Received: name='xyzzy'") as e:
        keras_act.get("xyzzy")
    assert "Did you mean" not in str(e.value)


def test_get_rejects_other_types():
    with pytest.raises(TypeError, match="Received: identifier=3"):
        keras_act.get(3)


def test_derivative_accepts_hyperparameters_and_integers():
    d = keras_act.derivative("elu_custom")
    x = np.array([-1, 0, 2])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(d(x, alpha=0.5)), [0.5 * np.exp(-1.0), 0.5, 1.0], rtol=1e-6)


def test_registry_refuses_to_shadow_a_builtin():
    with pytest.raises(ValueError, match="refuses to register the string id 'relu'"):
        _keras_internals.install_string_ids({"relu": keras_act.get("relu_custom")})
    assert keras.activations.get("relu") is keras.activations.relu


def test_registry_refuses_to_move_an_existing_id():
    with pytest.raises(ValueError, match="refuses"):
        _keras_internals.install_string_ids({"selu_custom": keras_act.get("relu_custom")})
    assert keras.activations.get("selu_custom") is keras_act.get("selu_custom")


def test_a_moved_table_fails_loudly():
    # A table Keras does not read from: the probe look-up must notice.
    with pytest.raises(ImportError, match="no longer reads ALL_OBJECTS_DICT"):
        _keras_internals.install_string_ids({"zz_probe_custom": keras_act.get("relu_custom")}, table={})


def test_readme_table_is_generated_from_the_records():
    with open("README.md", encoding="utf-8") as f:
        text = f.read()
    assert render(text) == text, "README's activation table drifted: run `make docs`"
    for name in keras_act.list_activations():
        assert f"`{keras_act.record(name).name}`" in text
