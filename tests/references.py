"""Independent float64 numpy references for every activation id.

Written from the papers' and PyTorch's documented definitions, not from
keras_act's code: the tests compare the two. Each entry maps an id to
`(f, defaults)` where `f(x, **hyperparameters)` works on float64 arrays.
"""

import math

import numpy as np

# Klambauer et al. 2017 (and torch.nn.SELU).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def sigmoid(x):
    # Branches keep exp from overflowing.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus_plain(x):
    return np.logaddexp(0.0, x)


def _softmax(x, axis=-1):
    z = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    z = x - np.max(x, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def _glu(x, axis=-1):
    a, b = np.split(x, 2, axis=axis)
    return a * sigmoid(b)


def _gated(gate):
    # Shazeer 2020: a * act(b), [a, b] = split(x, 2), the gate on the second half.
    def f(x, axis=-1):
        a, b = np.split(x, 2, axis=axis)
        return a * gate(b)

    return f


def _softplus(x, beta=1.0, threshold=20.0):
    return np.where(beta * x > threshold, x, np.logaddexp(0.0, beta * x) / beta)


def _gelu_tanh(x):
    # 0.5 * (1 + tanh(u)) written as sigmoid(2u), the same number without
    # float64's cancellation in the negative tail.
    c = math.sqrt(2.0 / math.pi)
    with np.errstate(over="ignore"):
        return x * sigmoid(2.0 * c * (x + 0.044715 * x**3))


def _sparsemax(x, axis=-1):
    # Martins and Astudillo 2016, Algorithm 1, on each slice along `axis`:
    # sort z descending, k(z) = max{k : 1 + k z_(k) > sum_{j<=k} z_(j)},
    # tau = (sum_{j<=k(z)} z_(j) - 1) / k(z), p = max(z - tau, 0).
    z = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    flat = z.reshape(-1, z.shape[-1])
    out = np.empty_like(flat)
    for row, values in enumerate(flat):
        if np.isnan(values).any() or np.isposinf(values).any() or np.isneginf(values).all():
            out[row] = np.nan  # undefined (TensorFlow Addons returns NaN too)
            continue
        finite = values[np.isfinite(values)]
        z_sorted = np.sort(finite)[::-1]
        cumsum = np.cumsum(z_sorted)
        k = np.arange(1, len(z_sorted) + 1)
        k_z = k[1 + k * z_sorted > cumsum].max()
        tau = (cumsum[k_z - 1] - 1) / k_z
        out[row] = np.maximum(values - tau, 0.0)
    return np.moveaxis(out.reshape(z.shape), -1, axis)


def _squareplus(x, b=4.0):
    # Barron 2021: (x + sqrt(x^2 + b)) / 2. For x < 0 the same number is
    # b / (2 (sqrt(x^2 + b) - x)) (multiply by the conjugate), which float64
    # evaluates without cancelling x against sqrt(x^2 + b).
    s = np.sqrt(x * x + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x >= 0, (x + s) / 2, b / (2 * (s - x)))


def _sparse_plus(x):
    # Keras 3's keras.activations.sparse_plus docstring (Blondel et al. 2020).
    return np.where(x <= -1, 0.0, np.where(x < 1, (x + 1) ** 2 / 4, x))


def _exp(x):
    # exp(x) overflows to inf past 709.8 in float64, as it must.
    with np.errstate(over="ignore"):
        return np.exp(x)


REFERENCES = {
    "sigmoid_custom": (sigmoid, {}),
    "tanh_custom": (np.tanh, {}),
    "relu_custom": (lambda x: np.maximum(x, 0.0), {}),
    "relu6_custom": (lambda x: np.clip(x, 0.0, 6.0), {}),
    "elu_custom": (lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))), {"alpha": 1.0}),
    "selu_custom": (
        lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
        {},
    ),
    "leaky_relu_custom": (lambda x, negative_slope=0.01: np.where(x > 0, x, negative_slope * x), {"negative_slope": 0.01}),
    "rrelu_custom": (
        lambda x, lower=1 / 8, upper=1 / 3: np.where(x >= 0, x, (lower + upper) / 2 * x),
        {"lower": 1 / 8, "upper": 1 / 3},
    ),
    "hard_shrink_custom": (lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0.0), {"threshold": 0.5}),
    "hard_sigmoid_custom": (lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0), {}),
    "hard_tanh_custom": (
        lambda x, min_val=-1.0, max_val=1.0: np.clip(x, min_val, max_val),
        {"min_val": -1.0, "max_val": 1.0},
    ),
    "hard_swish_custom": (lambda x: x * np.clip(x / 6.0 + 0.5, 0.0, 1.0), {}),
    "softmax_custom": (_softmax, {"axis": -1}),
    "celu_custom": (
        lambda x, alpha=1.0: np.maximum(0.0, x) + np.minimum(0.0, alpha * np.expm1(np.minimum(x, 0.0) / alpha)),
        {"alpha": 1.0},
    ),
    "gelu_custom": (lambda x: 0.5 * x * _erfc(-x / math.sqrt(2.0)), {}),
    "gelu_tanh_custom": (_gelu_tanh, {}),
    "silu_custom": (lambda x: x * sigmoid(x), {}),
    "swish_custom": (lambda x: x * sigmoid(x), {}),
    "mish_custom": (lambda x: x * np.tanh(softplus_plain(x)), {}),
    "softplus_custom": (_softplus, {"beta": 1.0, "threshold": 20.0}),
    "softsign_custom": (lambda x: x / (1.0 + np.abs(x)), {}),
    "soft_shrink_custom": (
        lambda x, threshold=0.5: np.where(x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)),
        {"threshold": 0.5},
    ),
    "tanh_shrink_custom": (lambda x: x - np.tanh(x), {}),
    "log_sigmoid_custom": (lambda x: -np.logaddexp(0.0, -x), {}),
    "log_softmax_custom": (_log_softmax, {"axis": -1}),
    "softmin_custom": (lambda x, axis=-1: _softmax(-x, axis=axis), {"axis": -1}),
    "lisht_custom": (lambda x: x * np.tanh(x), {}),
    "snake_custom": (lambda x, frequency=1.0: x + np.sin(frequency * x) ** 2 / frequency, {"frequency": 1.0}),
    "glu_custom": (_glu, {"axis": -1}),
    "swiglu_custom": (_gated(lambda b: b * sigmoid(b)), {"axis": -1}),
    "geglu_custom": (_gated(lambda b: 0.5 * b * _erfc(-b / math.sqrt(2.0))), {"axis": -1}),
    "reglu_custom": (_gated(lambda b: np.maximum(b, 0.0)), {"axis": -1}),
    # So et al. 2021 (Primer): relu(x)^2.
    "relu_squared_custom": (lambda x: np.maximum(x, 0.0) ** 2, {}),
    "sparsemax_custom": (_sparsemax, {"axis": -1}),
    "squareplus_custom": (_squareplus, {"b": 4.0}),
    "sparse_plus_custom": (_sparse_plus, {}),
    # Keras 3's keras.activations.sparse_sigmoid docstring: 0, (x + 1) / 2, 1.
    "sparse_sigmoid_custom": (lambda x: np.clip((x + 1) / 2, 0.0, 1.0), {}),
    "linear_custom": (lambda x: x, {}),
    "exponential_custom": (_exp, {}),
}

# Points where the derivative jumps or the function is not differentiable,
# for the default hyperparameters. Finite differences skip them.
KINKS = {
    "relu_custom": (0.0,),
    "relu_squared_custom": (0.0,),
    "relu6_custom": (0.0, 6.0),
    "leaky_relu_custom": (0.0,),
    "rrelu_custom": (0.0,),
    "selu_custom": (0.0,),
    "hard_shrink_custom": (-0.5, 0.5),
    "soft_shrink_custom": (-0.5, 0.5),
    "hard_sigmoid_custom": (-3.0, 3.0),
    "hard_tanh_custom": (-1.0, 1.0),
    "hard_swish_custom": (-3.0, 3.0),
    "softplus_custom": (20.0,),
    "sparse_plus_custom": (-1.0, 1.0),
    "sparse_sigmoid_custom": (-1.0, 1.0),
}

# f'(kink) as TensorFlow's kernels and autodiff take it (relu'(0) = 0, ...).
# hard_tanh follows PyTorch (0 at the corners, as TF's relu6), where TF's
# clip_by_value would pass the gradient.
KINK_DERIVATIVES = {
    "relu_custom": {0.0: 0.0},
    "relu_squared_custom": {0.0: 0.0},
    "relu6_custom": {0.0: 0.0, 6.0: 0.0},
    "leaky_relu_custom": {0.0: 0.01},
    "rrelu_custom": {0.0: (1 / 8 + 1 / 3) / 2},
    "selu_custom": {0.0: SELU_SCALE},
    "elu_custom": {0.0: 1.0},
    "celu_custom": {0.0: 1.0},
    "hard_shrink_custom": {-0.5: 0.0, 0.5: 0.0},
    "soft_shrink_custom": {-0.5: 0.0, 0.5: 0.0},
    "hard_sigmoid_custom": {-3.0: 0.0, 3.0: 0.0},
    "hard_tanh_custom": {-1.0: 0.0, 1.0: 0.0},
    "hard_swish_custom": {-3.0: 0.0, 3.0: 1.0},
    "sparse_plus_custom": {-1.0: 0.0, 1.0: 1.0},
    "sparse_sigmoid_custom": {-1.0: 0.0, 1.0: 0.0},
}

# Where a backend's native kernel, which keras_act runs there for speed,
# takes another value at a kink than KINK_DERIVATIVES (a value hit at one
# exact float; correcting it would cost a pass over the tensor). From the
# backends' documentation and code: torch.nn.functional.selu'(0) is
# scale * alpha (its SELU backward takes the negative branch at 0).
BACKEND_KINK_DERIVATIVES = {
    "torch": {"selu_custom": {0.0: SELU_SCALE * SELU_ALPHA}},
}


def kink_derivatives(name, backend):
    """KINK_DERIVATIVES of `name` as the native kernel on `backend` takes them."""
    return {**KINK_DERIVATIVES.get(name, {}), **BACKEND_KINK_DERIVATIVES.get(backend, {}).get(name, {})}


def reference(name, x, **hyperparameters):
    f, defaults = REFERENCES[name]
    return f(np.asarray(x, dtype=np.float64), **{**defaults, **hyperparameters})


def numeric_derivative(name, x, h=1e-6, **hyperparameters):
    x = np.asarray(x, dtype=np.float64)
    return (reference(name, x + h, **hyperparameters) - reference(name, x - h, **hyperparameters)) / (2 * h)
