"""pelu, srelu, pau and the GLU variants against numpy references written
from the papers; their gradients against finite differences; bad arguments."""

import math

import numpy as np
import pytest

import keras
import keras_act
from keras_act.activations import pau, pelu, srelu
from keras_act.activations import _pau_fit
from tests.conftest import gradient


def as_np(x):
    return keras.ops.convert_to_numpy(x)


# --- references (Trottier et al. 2017, Jin et al. 2016, Molina et al. 2019) ---


def pelu_np(x, a, b):
    return np.where(x >= 0, (a / b) * x, a * np.expm1(np.minimum(x, 0.0) / b))


def srelu_np(x, t_left, a_left, t_right, a_right):
    # The paper's three pieces; a right threshold below the left one is
    # taken as the left one (documented by keras_act).
    t_l, a_l, a_r = t_left, a_left, a_right
    t_r = np.maximum(t_l, t_right)
    return np.where(x >= t_r, t_r + a_r * (x - t_r), np.where(x <= t_l, t_l + a_l * (x - t_l), x))


def pau_np(x, numerator, denominator):
    p = sum(a * x**j for j, a in enumerate(numerator))
    q = 1.0 + np.abs(sum(b * x ** (k + 1) for k, b in enumerate(denominator)))
    return p / q


X = np.concatenate([np.linspace(-8.0, 8.0, 1601), [0.0, 1e-3, -1e-3]])


@pytest.mark.parametrize("a, b", [(1.0, 1.0), (2.0, 0.5), (0.3, 3.0)])
def test_pelu_against_the_paper(a, b):
    np.testing.assert_allclose(as_np(pelu(X, a, b)), pelu_np(X, a, b), rtol=1e-12, atol=1e-14)


def test_pelu_with_a_and_b_one_is_elu():
    np.testing.assert_allclose(as_np(pelu(X, 1.0, 1.0)), as_np(keras_act.get("elu_custom")(X)), rtol=1e-15)


def test_pelu_broadcasts_per_channel_tensors():
    x = np.random.RandomState(0).normal(scale=3.0, size=(4, 3))
    a, b = np.array([0.5, 1.0, 2.0]), np.array([2.0, 1.0, 0.25])
    np.testing.assert_allclose(as_np(pelu(x, a, b)), pelu_np(x, a, b), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "params",
    [(0.0, 0.2, 1.0, 1.0), (-1.0, 0.1, 2.0, 0.5), (-0.5, 0.0, 0.5, 2.0), (1.0, 0.3, -1.0, 0.7)],  # last: crossed
)
def test_srelu_against_the_paper(params):
    np.testing.assert_allclose(as_np(srelu(X, *params)), srelu_np(X, *params), rtol=1e-12, atol=1e-14)


def test_srelu_is_continuous_at_its_thresholds():
    t_l, a_l, t_r, a_r = -1.0, 0.3, 2.0, 1.7
    for t in (t_l, t_r):
        y = as_np(srelu(np.array([t - 1e-9, t, t + 1e-9]), t_l, a_l, t_r, a_r))
        np.testing.assert_allclose(y, t, atol=1e-8)


@pytest.mark.parametrize("initial", _pau_fit.INITIAL_FUNCTIONS)
def test_pau_against_numpy(initial):
    numerator, denominator, _ = _pau_fit.FITS[initial]
    np.testing.assert_allclose(as_np(pau(X, numerator, denominator)), pau_np(X, numerator, denominator), rtol=1e-12, atol=1e-14)
    # Tensors of coefficients (the layer's weights) give the same.
    got = pau(X, np.array(numerator), np.array(denominator))
    np.testing.assert_allclose(as_np(got), pau_np(X, numerator, denominator), rtol=1e-12, atol=1e-14)


def test_pau_denominator_is_safe_where_an_unsafe_one_has_a_pole():
    # 1 + B(x) = 1 - x has a pole at x = 1; the safe 1 + |B(x)| = 1 + |x| none.
    x = np.linspace(-3.0, 3.0, 601)
    y = as_np(pau(x, [0.0, 1.0], [-1.0]))
    np.testing.assert_allclose(y, x / (1.0 + np.abs(x)), rtol=1e-12)
    assert np.all(np.isfinite(y))


def test_pau_half_precision_is_computed_in_float32():
    numerator, denominator, _ = _pau_fit.FITS["leaky_relu"]
    x = np.linspace(-20.0, 20.0, 81)  # x^5 overflows float16 beyond 9.2
    y = keras.ops.convert_to_numpy(pau(keras.ops.cast(x, "float16"), numerator, denominator))
    assert keras.backend.standardize_dtype(y.dtype) == "float16"
    np.testing.assert_allclose(y.astype("float64"), pau_np(x.astype("float16").astype("float64"), numerator, denominator), rtol=2e-3, atol=2e-3)


def _numeric_gradient(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize(
    "fn, reference",
    [
        (lambda t: pelu(t, 1.5, 0.7), lambda x: pelu_np(x, 1.5, 0.7)),
        (lambda t: srelu(t, -1.0, 0.2, 1.5, 2.0), lambda x: srelu_np(x, -1.0, 0.2, 1.5, 2.0)),
        (lambda t: pau(t, *_pau_fit.FITS["leaky_relu"][:2]), lambda x: pau_np(x, *_pau_fit.FITS["leaky_relu"][:2])),
        (keras_act.get("relu_squared_custom"), lambda x: np.maximum(x, 0.0) ** 2),
    ],
    ids=["pelu", "srelu", "pau", "relu_squared"],
)
def test_gradients_match_finite_differences(fn, reference):
    x = np.linspace(-5.0, 5.0, 1001) + 1.234e-4  # off every kink
    x = x[(np.abs(x + 1.0) > 1e-3) & (np.abs(x - 1.5) > 1e-3)]
    np.testing.assert_allclose(gradient(fn, x), _numeric_gradient(reference, x), rtol=1e-6, atol=1e-6)


def test_relu_squared_kink_has_slope_zero():
    np.testing.assert_array_equal(gradient(keras_act.get("relu_squared_custom"), np.array([-1.0, 0.0, 1.0])), [0.0, 0.0, 2.0])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: pelu(np.ones(3), 0.0, 1.0), r"`a` of pelu must be a finite number > 0\. Received: a=0\.0\."),
        (lambda: pelu(np.ones(3), 1.0, -2.0), r"`b` of pelu must be a finite number > 0\. Received: b=-2\.0\."),
        (lambda: srelu(np.ones(3), math.nan, 0.1, 1.0, 1.0), r"srelu expected `t_left` to be a finite number or a tensor\. Received: t_left=nan\."),
        (lambda: pau(np.ones(3), [], [1.0]), r"pau expected `numerator` to be a list of at least 1 finite numbers"),
        (lambda: pau(np.ones(3), [1.0], [math.inf]), r"pau expected `denominator` .* Received: denominator=\[inf\]\."),
        (lambda: pau(np.ones(3), np.ones((2, 2)), [1.0]), r"pau expected `numerator` to be a 1-D tensor"),
    ],
)
def test_invalid_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- the GLU variants ------------------------------------------------------------

GATED = ["swiglu_custom", "geglu_custom", "reglu_custom"]


@pytest.mark.parametrize("name", GATED)
def test_odd_axis_is_refused(name):
    with pytest.raises(ValueError, match=rf"{name} splits `axis` in two halves, so its size must be even\. Received: x\.shape=\(2, 5\) with axis=-1\."):
        keras_act.get(name)(np.ones((2, 5)))


@pytest.mark.parametrize("name", GATED)
def test_porting_from_first_half_gating_swaps_the_dense_halves(name):
    # Code that computes act(a) * b (gate first) from Dense(2d) equals
    # keras_act's a * act(b) after swapping the kernel's and bias's halves.
    act = {"swiglu_custom": "silu_custom", "geglu_custom": "gelu_custom", "reglu_custom": "relu_custom"}[name]
    rng = np.random.RandomState(0)
    x, kernel, bias, d = rng.normal(size=(5, 3)), rng.normal(size=(3, 8)), rng.normal(size=8), 4
    h = x @ kernel + bias
    first_half_gated = as_np(keras_act.get(act)(h[:, :d])) * h[:, d:]
    swapped_kernel = np.concatenate([kernel[:, d:], kernel[:, :d]], axis=1)
    swapped_bias = np.concatenate([bias[d:], bias[:d]])
    ours = as_np(keras_act.get(name)(x @ swapped_kernel + swapped_bias))
    np.testing.assert_allclose(ours, first_half_gated, rtol=1e-12, atol=1e-14)


def test_swiglu_half_precision_gradient_is_the_analytic_one():
    # float16 takes swiglu's own gradient (no inf * 0 where upstream * a * b
    # overflows); it agrees with float32's autodiff where nothing overflows.
    x = np.random.RandomState(4).normal(scale=3.0, size=(8, 6)).astype("float32")
    fn = keras_act.get("swiglu_custom")
    g16 = gradient(fn, keras.ops.cast(x, "float16")).astype("float32")
    np.testing.assert_allclose(g16, gradient(fn, x), rtol=1e-2, atol=1e-2)
    big = np.array([[6e4, -6e4, 6e4, -6e4]], "float16")  # a * silu(b) is +-inf, its gradient is not
    g = gradient(fn, keras.ops.convert_to_tensor(big))
    assert not np.isnan(g).any() and np.isfinite(g).all()


def _numeric_parameter_gradient(f, p, h=1e-6):
    # d sum(f(p)) / dp, one entry of p at a time.
    grad = np.zeros_like(p)
    for i in np.ndindex(*p.shape):
        e = np.zeros_like(p)
        e[i] = h
        grad[i] = (np.sum(f(p + e)) - np.sum(f(p - e))) / (2 * h)
    return grad


X2 = np.random.RandomState(5).normal(scale=2.0, size=(16, 3)) + 1.234e-4
PELU_P = {"a": np.array([0.5, 1.0, 2.0]), "b": np.array([2.0, 1.0, 0.4])}
SRELU_P = {"t_left": np.array([-1.0, 0.0, -0.3]), "a_left": np.array([0.1, 0.5, 0.0]),
           "t_right": np.array([1.0, 2.0, 0.7]), "a_right": np.array([1.5, 0.3, 1.0])}
PAU_P = {"numerator": np.array(_pau_fit.FITS["leaky_relu"][0]), "denominator": np.array(_pau_fit.FITS["leaky_relu"][1])}


@pytest.mark.parametrize(
    "fn, reference, params",
    [(pelu, pelu_np, PELU_P), (srelu, srelu_np, SRELU_P), (pau, pau_np, PAU_P)],
    ids=["pelu", "srelu", "pau"],
)
def test_parameter_gradients_match_finite_differences(fn, reference, params):
    # What the layers learn from: the gradient with respect to each parameter.
    for name, value in params.items():
        def with_param(p, name=name):
            return fn(X2, **{**params, name: p})

        def with_param_np(p, name=name):
            return reference(X2, **{**params, name: p})

        got = gradient(with_param, value)
        assert np.all(np.isfinite(got)) and np.any(got != 0), name
        np.testing.assert_allclose(got, _numeric_parameter_gradient(with_param_np, value), rtol=1e-6, atol=1e-6, err_msg=name)
