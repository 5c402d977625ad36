"""PELU, SReLU, StarReLU and PAU: numpy references at initialization and
after setting weights, training that moves every parameter, constraints,
the stored PAU fits, save and reload, bad arguments; the GLU-variant layers."""

import math

import numpy as np
import pytest

import keras
from keras_act import layers
from keras_act.activations import _pau_fit
from keras_act.layers.pelu import MinValue
from keras_act.layers.star_relu import BIAS, SCALE
from tests.layers._cases import CASES, make
from tests.test_learnable_functions import pau_np, pelu_np, srelu_np

LEARNABLE = ["PELU", "SReLU", "StarReLU", "PAU"]


def as_np(x):
    return keras.ops.convert_to_numpy(x)


def _x(shape=(4, 6), scale=3.0, seed=0):
    return np.random.RandomState(seed).normal(scale=scale, size=shape)


# --- references at initialization and after set_weights ------------------------


def test_pelu_starts_as_elu_and_follows_its_weights():
    layer = layers.PELU(dtype="float64")
    x = _x()
    np.testing.assert_allclose(as_np(layer(x)), pelu_np(x, 1.0, 1.0), rtol=1e-12, atol=1e-14)
    a, b = np.linspace(0.5, 2.0, 6), np.linspace(3.0, 0.2, 6)
    layer.set_weights([a, b])
    np.testing.assert_allclose(as_np(layer(x)), pelu_np(x, a, b), rtol=1e-12, atol=1e-14)


def test_pelu_parameters_are_per_channel_and_shared_over_other_axes():
    layer = layers.PELU()
    layer.build((None, None, None, 5))
    assert [tuple(w.shape) for w in layer.weights] == [(5,), (5,)]
    with pytest.raises(ValueError, match=r"PELU expected inputs of rank >= 2 with a known last \(channel\) axis\. Received: input_shape=\(None, 3, None\)\."):
        layers.PELU().build((None, 3, None))


def test_srelu_initialization_is_keras_contribs_data_free_one():
    layer = layers.SReLU()
    layer.build((None, 4000))
    t_l, a_l, t_r, a_r = (w.numpy() for w in layer.weights)
    np.testing.assert_array_equal(t_l, 0.0)
    np.testing.assert_array_equal(a_r, 1.0)
    assert 0.0 <= a_l.min() and a_l.max() < 1.0 and abs(a_l.mean() - 0.5) < 0.02
    assert 0.0 <= t_r.min() and t_r.max() < 5.0 and abs(t_r.mean() - 2.5) < 0.1


def test_srelu_follows_its_weights():
    layer = layers.SReLU(dtype="float64")
    x = _x()
    layer(x)
    params = [np.linspace(-1.0, 0.5, 6), np.linspace(0.0, 0.4, 6), np.linspace(2.0, -1.0, 6), np.linspace(0.5, 2.0, 6)]
    layer.set_weights(params)  # the last channels have t_right < t_left
    np.testing.assert_allclose(as_np(layer(x)), srelu_np(x, *params), rtol=1e-12, atol=1e-14)


def test_starrelu_starts_at_the_papers_values_and_follows_its_weights():
    assert SCALE == pytest.approx(0.8944, abs=5e-5) and BIAS == pytest.approx(-0.4472, abs=5e-5)
    assert SCALE == 1 / math.sqrt(1.25) and BIAS == -0.5 * SCALE
    layer = layers.StarReLU(dtype="float64")
    x = _x()
    y = as_np(layer(x))
    np.testing.assert_array_equal([layer.scale.numpy(), layer.bias.numpy()], [SCALE, BIAS])
    np.testing.assert_allclose(y, SCALE * np.maximum(x, 0) ** 2 + BIAS, rtol=1e-12, atol=1e-14)
    layer.set_weights([np.array(1.7), np.array(0.3)])
    np.testing.assert_allclose(as_np(layer(x)), 1.7 * np.maximum(x, 0) ** 2 + 0.3, rtol=1e-12, atol=1e-14)
    # Standard-normal inputs give outputs of mean 0 and variance 1 (the paper's derivation).
    z = np.random.RandomState(1).normal(size=400000)
    y = as_np(layers.StarReLU(dtype="float64")(z))
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1.0) < 0.03


def test_starrelu_parameters_can_be_frozen():
    layer = layers.StarReLU(scale_learnable=False)
    layer.build((None, 3))
    assert [w.name for w in layer.trainable_weights] == ["bias"]
    assert [w.name for w in layer.non_trainable_weights] == ["scale"]


@pytest.mark.parametrize("initial", _pau_fit.INITIAL_FUNCTIONS)
def test_pau_starts_from_the_stored_fit_and_follows_its_weights(initial):
    layer = layers.PAU(initial=initial, dtype="float64")
    x = _x()
    numerator, denominator, _ = _pau_fit.FITS[initial]
    np.testing.assert_allclose(as_np(layer(x)), pau_np(x, numerator, denominator), rtol=1e-12, atol=1e-14)
    new = [np.linspace(-0.5, 0.5, 6), np.linspace(0.1, 1.0, 4)]
    layer.set_weights(new)
    np.testing.assert_allclose(as_np(layer(x)), pau_np(x, *new), rtol=1e-12, atol=1e-14)


def test_pau_other_degrees_are_fitted_at_build():
    layer = layers.PAU(numerator_degree=3, denominator_degree=2)
    layer.build((None, 3))
    assert [tuple(w.shape) for w in layer.weights] == [(4,), (2,)]
    x = np.linspace(-3.0, 3.0, 601)
    y = as_np(layer(x.astype("float32")))
    numerator, denominator, error = _pau_fit.fit("leaky_relu", 3, 2)
    np.testing.assert_allclose(layer.numerator.numpy(), numerator, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(layer.denominator.numpy(), denominator, rtol=1e-6, atol=1e-7)
    assert 0.05 < error < 0.2  # a coarser fit than the default degrees' 0.034
    assert np.max(np.abs(y - np.where(x > 0, x, 0.01 * x))) <= error + 1e-5


# --- the stored PAU fits -----------------------------------------------------------


@pytest.mark.parametrize("initial", _pau_fit.INITIAL_FUNCTIONS)
def test_stored_pau_fits_are_within_their_stated_error(initial):
    numerator, denominator, error = _pau_fit.FITS[initial]
    x = np.linspace(-3.0, 3.0, 60001)
    got = _pau_fit.rational(x, numerator, denominator)
    assert np.max(np.abs(got - _pau_fit._target(initial, x))) <= error * (1 + 1e-9)
    # The stated errors (README, PAU's docstring).
    stated = {"leaky_relu": 0.0336, "relu": 0.0340, "tanh": 3.5e-6, "sigmoid": 4.8e-9}[initial]
    assert error <= stated


@pytest.mark.parametrize("initial", _pau_fit.INITIAL_FUNCTIONS)
def test_rerunning_the_fit_reproduces_the_stored_coefficients(initial):
    numerator, denominator, error = _pau_fit.fit(initial)
    stored_numerator, stored_denominator, stored_error = _pau_fit.FITS[initial]
    np.testing.assert_allclose(numerator, stored_numerator, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(denominator, stored_denominator, rtol=1e-6, atol=1e-7)
    x = _pau_fit.grid()
    np.testing.assert_allclose(
        _pau_fit.rational(x, numerator, denominator), _pau_fit.rational(x, stored_numerator, stored_denominator), atol=1e-9
    )
    assert error == pytest.approx(stored_error, rel=1e-6, abs=1e-12)


# --- training ---------------------------------------------------------------------


@pytest.mark.parametrize("name", LEARNABLE)
def test_training_moves_every_parameter_with_finite_gradients(name):
    keras.utils.set_random_seed(3)
    rng = np.random.RandomState(3)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (np.sin(2 * x[:, :1]) + x[:, 1:2] ** 2).astype("float32")
    layer = make(name)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6), layer, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    before = [w.numpy().copy() for w in layer.trainable_weights]
    assert len(before) == CASES[name][2]
    loss0 = float(model.evaluate(x, y, verbose=0))
    model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    after = [w.numpy() for w in layer.trainable_weights]
    assert all(np.all(np.isfinite(w)) for w in after)
    assert all(np.any(np.abs(a - b) > 1e-4) for a, b in zip(after, before)), name
    assert float(model.evaluate(x, y, verbose=0)) < loss0


def test_pelu_constraint_keeps_a_and_b_positive_after_an_aggressive_step():
    layer = layers.PELU()
    model = keras.Sequential([keras.Input((3,)), layer])
    model.compile(optimizer=keras.optimizers.SGD(100.0), loss="mse")
    # Targets far below the outputs push a and b hard toward and past 0.
    model.fit(np.full((8, 3), -2.0, "float32"), np.full((8, 3), 50.0, "float32"), epochs=1, verbose=0)
    a, b = (w.numpy() for w in layer.weights)
    np.testing.assert_array_equal(np.minimum(a, b), np.float32(0.1))  # at the floor, not below
    assert np.all(np.isfinite(as_np(layer(np.linspace(-5, 5, 11).reshape(-1, 1) * np.ones((1, 3), "float32")))))


def test_min_value_constraint_round_trips():
    constraint = keras.constraints.get(keras.constraints.serialize(MinValue(0.25)))
    assert isinstance(constraint, MinValue) and constraint.min_value == 0.25
    np.testing.assert_array_equal(as_np(constraint(np.array([-1.0, 0.2, 3.0], "float32"))), [0.25, 0.25, 3.0])


# --- save and reload keep the learned parameters -------------------------------------


def test_keras_file_reloads_with_learned_parameters(tmp_path):
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(8)(inputs)
    branches = [make(name)(keras.layers.Dense(6)(inputs)) for name in LEARNABLE]
    branches.append(layers.SwiGLU()(hidden))
    branches.append(layers.GeGLU()(hidden))
    branches.append(layers.ReGLU()(hidden))
    model = keras.Model(inputs, keras.layers.Concatenate()(branches))
    rng = np.random.RandomState(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, rng.normal(size=(32, model.output.shape[-1])).astype("float32"), epochs=3, verbose=0)
    model.save(tmp_path / "m.keras")
    reloaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for name in LEARNABLE:
        (ours,) = [l for l in model.layers if type(l).__name__ == name]
        (theirs,) = [l for l in reloaded.layers if type(l).__name__ == name]
        for w, v in zip(ours.weights, theirs.weights):
            np.testing.assert_array_equal(w.numpy(), v.numpy())
        assert theirs.get_config() == ours.get_config()


# --- bad arguments --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs, match",
    [
        ("StarReLU", dict(scale_value=math.inf), r"StarReLU expected `scale_value` to be a finite number\. Received: scale_value=inf\."),
        ("StarReLU", dict(bias_value="0"), r"StarReLU expected `bias_value` to be a finite number\. Received: bias_value='0'\."),
        ("StarReLU", dict(bias_learnable=1), r"StarReLU expected `bias_learnable` to be True or False\. Received: bias_learnable=1\."),
        ("PAU", dict(numerator_degree=0), r"PAU expected `numerator_degree` to be an integer >= 1\. Received: numerator_degree=0\."),
        ("PAU", dict(denominator_degree=2.0), r"PAU expected `denominator_degree` to be an integer >= 1\. Received: denominator_degree=2\.0\."),
        ("PAU", dict(numerator_degree=11), r"PAU expected `numerator_degree` to be at most 10 .* Received: numerator_degree=11\."),
        ("PAU", dict(initial="gelu"), r"PAU expected `initial` to be one of 'leaky_relu', 'relu', 'tanh', 'sigmoid'\. Received: initial='gelu'\."),
        ("PELU", dict(a_initializer="no_such_initializer"), r"no_such_initializer"),
        ("SwiGLU", dict(axis=1.0), r"SwiGLU expected `axis` to be an integer\. Received: axis=1\.0\."),
        ("GeGLU", dict(axis="last"), r"GeGLU expected `axis` to be an integer\. Received: axis='last'\."),
    ],
)
def test_invalid_arguments(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(layers, name)(**kwargs)


def test_min_value_needs_a_finite_number():
    with pytest.raises(ValueError, match=r"MinValue expected `min_value` to be a finite number\. Received: min_value=nan\."):
        MinValue(math.nan)


# --- the GLU-variant layers -----------------------------------------------------------


@pytest.mark.parametrize("name, act", [("SwiGLU", lambda b: b / (1 + np.exp(-b))), ("GeGLU", None), ("ReGLU", lambda b: np.maximum(b, 0))])
@pytest.mark.parametrize("axis", [-1, 1])
def test_gated_layers_against_numpy(name, act, axis):
    from tests.references import reference

    x = np.random.RandomState(2).normal(size=(2, 6, 4))
    a, b = np.split(x, 2, axis=axis)
    gate = act(b) if act is not None else reference("gelu_custom", b)
    layer = getattr(layers, name)(axis, dtype="float64")
    np.testing.assert_allclose(as_np(layer(x)), a * gate, rtol=1e-12, atol=1e-14)
    assert tuple(layer.compute_output_shape((None, 6, 4))) == (None, *a.shape[1:])


@pytest.mark.parametrize("name", ["SwiGLU", "GeGLU", "ReGLU"])
def test_gated_layers_refuse_an_odd_axis_and_a_batch_axis(name):
    with pytest.raises(ValueError, match=rf"{name} expected an even, known size along `axis`.*Received: input_shape=\(None, 5\), axis=-1\."):
        getattr(layers, name)().build((None, 5))
    with pytest.raises(ValueError, match=rf"{name} expected `axis` to be a non-batch axis of an input of rank 3"):
        getattr(layers, name)(axis=3).build((None, 4, 6))


def test_transformer_feed_forward_block_with_swiglu():
    # README's example: Dense(2 * d) + SwiGLU + Dense(model_dim).
    d, model_dim = 16, 8
    inputs = keras.Input((10, model_dim))
    hidden = layers.SwiGLU()(keras.layers.Dense(2 * d)(inputs))
    outputs = keras.layers.Dense(model_dim)(hidden)
    model = keras.Model(inputs, outputs)
    assert tuple(hidden.shape) == (None, 10, d)
    assert model(np.zeros((2, 10, model_dim), "float32")).shape == (2, 10, model_dim)


# --- gradients of the layers' weights (one backward per layer) ---------------------

from tests.conftest import variable_gradients  # noqa: E402
from tests.test_learnable_functions import _numeric_parameter_gradient, prelu_np, snake_np, star_relu_np, swish_np  # noqa: E402

# name -> (layer, its weights as set below, numpy reference of (x, *weights))
WEIGHTED = {
    "PELU": (lambda: layers.PELU(), [np.linspace(0.5, 2.0, 5), np.linspace(2.5, 0.4, 5)], pelu_np),
    "SReLU": (lambda: layers.SReLU(), [np.linspace(-1.5, 0.0, 5), np.linspace(0.0, 0.5, 5), np.linspace(2.0, 0.5, 5), np.linspace(0.5, 2.0, 5)], srelu_np),
    "StarReLU": (lambda: layers.StarReLU(), [np.array(0.7), np.array(-0.3)], star_relu_np),
    "PAU": (lambda: layers.PAU(), [np.linspace(-0.5, 0.5, 6), np.linspace(0.1, 1.0, 4)], pau_np),
    "PReLU": (lambda: layers.PReLU(), [np.linspace(-0.5, 0.5, 5)], prelu_np),
    "PReLU(shared_axes=-1)": (lambda: layers.PReLU(shared_axes=-1), [np.array([0.3])], prelu_np),
    "Swish": (lambda: layers.Swish(beta=1.5, trainable_beta=True), [np.array(1.3)], swish_np),
    "Snake": (lambda: layers.Snake(frequency=2.0, trainable_frequency=True), [np.array(1.7)], snake_np),
}


@pytest.mark.parametrize("name", sorted(WEIGHTED))
def test_weight_gradients_on_images_match_finite_differences(name):
    # A (batch, height, width, channels) input: per-channel weights take
    # the gradient summed over batch, height and width.
    make_layer, weights, reference = WEIGHTED[name]
    x = np.random.RandomState(8).normal(scale=2.0, size=(3, 4, 2, 5)) + 1.234e-4
    layer = _float64(make_layer)
    layer.build(x.shape)
    layer.set_weights(weights)
    grads = variable_gradients(lambda: layer(x), layer.trainable_weights)
    for i, (got, w) in enumerate(zip(grads, weights)):
        def with_weight(p, i=i):
            return reference(x, *weights[:i], p, *weights[i + 1:])

        assert got.shape == w.shape
        np.testing.assert_allclose(got, _numeric_parameter_gradient(with_weight, w), rtol=1e-6, atol=1e-6, err_msg=str(i))


def _float64(make_layer):
    layer = make_layer()
    return type(layer).from_config({**layer.get_config(), "dtype": "float64"})


@pytest.mark.parametrize("policy, tol", [("mixed_float16", 2e-2), ("mixed_bfloat16", 1e-1)])
@pytest.mark.parametrize("name", sorted(WEIGHTED))
def test_weight_gradients_under_mixed_precision(name, policy, tol):
    # Keras autocasts the float32 weights of PELU, SReLU, StarReLU and PReLU
    # to the compute dtype inside call (PAU, Swish and Snake keep float32);
    # the gradients reach the float32 variables, finite and close to
    # float32's.
    make_layer, weights, _ = WEIGHTED[name]
    x = ((np.arange(-40, 40) + 0.5) / 8.0).reshape(16, 5).astype("float32")
    grads = {}
    for p in ("float32", policy):
        keras.config.set_dtype_policy(p)
        layer = make_layer()
        layer.build(x.shape)
        layer.set_weights(weights)
        grads[p] = variable_gradients(lambda: keras.ops.cast(layer(x), "float32"), layer.trainable_weights)
        assert all(w.dtype == "float32" for w in layer.trainable_weights)
    for got, want in zip(grads[policy], grads["float32"]):
        assert got.dtype == np.float32 and np.all(np.isfinite(got))
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * np.abs(want).max())
