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


# --- issue 9, point 5: another package's entries, reloads, overrides ---------

import subprocess
import sys
import textwrap


def run_python(code):
    """Run `code` in a fresh interpreter; return its stdout (it must exit 0)."""
    env = {**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_an_id_taken_by_another_package_fails_the_import_cleanly():
    out = run_python(
        """
        import sys, types
        import keras
        from keras.src import activations as table_module

        other = types.ModuleType("otherpkg")
        exec("def selu_custom(x):\\n    return x", other.__dict__)
        sys.modules["otherpkg"] = other
        table = table_module.ALL_OBJECTS_DICT
        before = dict(table)
        table["selu_custom"] = other.selu_custom
        try:
            import keras_act
        except ValueError as e:
            message = str(e)
        else:
            raise AssertionError("import keras_act succeeded")
        assert "another package" in message and "'otherpkg'" in message, message
        assert "built-in" not in message.replace("not a Keras built-in", ""), message
        assert "Received: name='selu_custom'" in message, message
        # No half-imported keras_act: modules, registrations and string ids are gone.
        assert not [m for m in sys.modules if m == "keras_act" or m.startswith("keras_act.")]
        assert not [k for k in keras.saving.get_custom_objects() if k.startswith("keras_act>")]
        assert dict(table) == {**before, "selu_custom": other.selu_custom}
        # Once the other entry is gone, keras_act imports normally.
        del table["selu_custom"]
        import keras_act
        assert keras.activations.get("selu_custom") is keras_act.get("selu_custom")
        print("ok")
        """
    )
    assert out.strip().endswith("ok")


def test_a_keras_builtin_is_still_named_as_one():
    with pytest.raises(ValueError, match=r"Keras built-in.*Received: name='relu'"):
        _keras_internals.install_string_ids({"relu": keras_act.get("relu_custom")})


def test_reloading_a_submodule_replaces_its_records():
    out = run_python(
        """
        import importlib
        import numpy as np
        import keras, keras_act
        from keras_act.activations import rectifiers
        from keras_act.activations import smooth
        from keras_act.layers import softmax

        old = keras_act.get("relu_custom")
        importlib.reload(rectifiers)  # as Jupyter's autoreload does
        importlib.reload(smooth)
        importlib.reload(softmax)
        assert keras.activations.get("swish_custom") is smooth.silu_custom  # an alias follows
        assert keras_act.get("swish_custom") is smooth.silu_custom
        new = rectifiers.relu_custom
        assert new is not old
        assert keras_act.get("relu_custom") is new
        assert keras.activations.get("relu_custom") is new
        assert keras.saving.get_custom_objects()["keras_act>relu_custom"] is new
        assert keras.saving.get_registered_object("keras_act>Softmax") is softmax.Softmax
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="relu_custom")])
        model.save("/tmp/keras_act_reload_test.keras")
        keras.saving.load_model("/tmp/keras_act_reload_test.keras")
        keras_act.check_registrations()
        print("ok")
        """
    )
    assert out.strip().endswith("ok")


def test_a_different_function_under_a_recorded_id_still_raises():
    from keras_act._record import activation

    with pytest.raises(ValueError, match=r"Activation id 'relu_custom' is already recorded by .*rectifiers"):

        @activation(
            "relu_custom",
            derivative=None,
            formula="x",
            derivative_formula="1",
            output_range=(0.0, 1.0),
            zero_centered=False,
            monotonic=True,
            smooth=True,
            saturates="none",
            recommended_initializer="he_normal",
            reference="none 2024",
        )
        def impostor(x):
            return x

    assert keras_act.get("relu_custom").__module__ == "keras_act.activations.rectifiers"


def test_check_registrations_detects_an_override_after_import():
    out = run_python(
        """
        import keras, keras_act

        keras_act.check_registrations()  # all of keras_act's own

        @keras.saving.register_keras_serializable(package="keras_act", name="selu_custom")
        def evil(x):
            return x * 0.0

        try:
            keras_act.check_registrations()
        except ValueError as e:
            message = str(e)
        else:
            raise AssertionError("the override went unnoticed")
        assert "'keras_act>selu_custom'" in message and "__main__" in message, message
        # What Keras's registry allows (README): the last registration wins.
        assert keras.saving.get_registered_object("keras_act>selu_custom") is evil
        from keras.src import activations as table_module

        table_module.ALL_OBJECTS_DICT["elu_custom"] = evil  # a string id taken over
        try:
            keras_act.check_registrations()
        except ValueError as e:
            assert "'elu_custom' -> __main__.evil" in str(e), str(e)
        else:
            raise AssertionError("the string id override went unnoticed")
        print("ok")
        """
    )
    assert out.strip().endswith("ok")


def test_docs_state_the_peers_kink_values_as_they_are_now():
    # The backends guide's "Derivatives at kinks" (moved there from the README).
    with open("docs/guides/backends.md", encoding="utf-8") as f:
        text = f.read()
    derivatives = text[text.index("## Derivatives at kinks") :]
    derivatives = " ".join(derivatives[: derivatives.index("\n## ", 5)].split())
    # PyTorch gives hard_swish'(+-3) = 0 / 1 since pytorch/pytorch#148049.
    assert "differs at selu'(0) and hard_swish" not in derivatives
    assert "hard_swish'(+-3) = 0 / 1 like TensorFlow since pytorch/pytorch#148049" in derivatives
    assert "gradient at exactly x = 0 is 0, as `keras.layers.PReLU`'s; PyTorch's PReLU gives alpha there" in derivatives
    assert re.search(r"x = 0 the gradient with respect to x is 0.*PyTorch's PReLU gives alpha", " ".join(keras_act.layers.PReLU.__doc__.split()))
