"""Smooth self-gated activations: x times a gate, and periodic ones."""

import math

from keras_act._lazy import keras
from keras_act._lazy import ops

from keras_act import _backend
from keras_act._kernels import run
from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import is_number, normal, number
from keras_act.activations._common import (
    as_float,
    erfc,
    derivative_from_saved,
    hyperparameter_dtype,
    in_dtype,
    with_derivative,
    with_saved_gradient,
)
from keras_act.activations._learnable import parameter, sum_to_shape, with_parameter_gradients

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_CUBIC = 0.044715


def _gelu_grad(x):
    cdf = 0.5 * erfc(-x * _INV_SQRT_2)
    return cdf + x * ops.exp(-0.5 * ops.square(x)) * _INV_SQRT_2PI


def _gelu_saving_cdf(x):
    # float64: Phi(x) = erfc(-x / sqrt(2)) / 2 keeps full precision in the
    # negative tail, where 1 + erf(x / sqrt(2)) cancels to 0.
    cdf = 0.5 * erfc(-x * _INV_SQRT_2)
    return x * cdf, (x, cdf)


def _gelu_grad_from_cdf(saved, upstream):
    # _gelu_grad with the forward's Phi(x) reused, not recomputed.
    x, cdf = saved
    return upstream * (cdf + x * ops.exp(-0.5 * ops.square(x)) * _INV_SQRT_2PI)


@activation(
    "gelu_custom",
    # The portable form's _gelu_grad_from_cdf is this expression with the
    # forward's Phi reused (equal to the bit in float16, float32 and float64).
    derivative=_gelu_grad,
    formula="x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))",
    derivative_formula="Phi(x) + x * phi(x)",
    output_range=(-0.16997120747990369, math.inf),
    zero_centered=False,
    monotonic=False,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Hendrycks and Gimpel 2016, Gaussian Error Linear Units (GELUs), https://arxiv.org/abs/1606.08415",
    keras_builtin=("gelu", {"approximate": False}),
    torch_equivalent="torch.nn.GELU()",
)
def gelu_custom(x: TensorLike) -> TensorLike:
    """Gaussian error linear unit, exact (erf) form: x weighted by Phi(x).

    The activation of BERT and GPT-2; `gelu_tanh_custom` is the tanh
    approximation. Computed from erfc, which keeps full precision in the
    negative tail where 1 + erf(x / sqrt(2)) cancels (TensorFlow's and JAX's
    gelu kernels; PyTorch's F.gelu, Keras's own gelu there, is the erf form:
    within 1.2e-6 in float32). Exported to ONNX, it becomes a fit of erfc to
    1.2e-7 made of ops tf2onnx converts; to LiteRT, one GELU op.
    (`keras.ops.gelu` defaults to the approximation, `keras.activations.gelu`
    to the exact form; this id is always exact.)

    Formula:
        gelu(x) = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))

    Reference:
        Hendrycks and Gimpel 2016, Gaussian Error Linear Units (GELUs),
        https://arxiv.org/abs/1606.08415

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.gelu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.0455, -0.1543,  0.    ,  0.3457,  1.9545], dtype=float32)
    """
    return run("gelu_custom", _gelu, as_float(x))


def _gelu(x):
    return with_saved_gradient(_gelu_saving_cdf, _gelu_grad_from_cdf, x)


def _gelu_tanh_saving_gate(x):
    # 0.5 * (1 + tanh(u)) = sigmoid(2u): no cancellation in the negative
    # tail, where 1 + tanh(u) rounds to 0 (tf.nn.gelu's approximate form
    # is off by up to 4e-7 relative in float64 with TF 2.21).
    s = ops.sigmoid((2.0 * _SQRT_2_OVER_PI) * (x + _GELU_CUBIC * (x * x * x)))
    return x * s, (x, s)


def _gelu_tanh_grad_from_gate(saved, upstream):
    # Past |x| = 10 the second term is below 1e-35 (s * (1 - s) vanishes);
    # clipping keeps x^3 from overflowing float16 into 0 * inf = NaN. Also
    # the record's derivative (derivative_from_saved).
    x, s = saved
    xc = ops.clip(x, -10.0, 10.0)
    d_inner = (2.0 * _SQRT_2_OVER_PI) * (1.0 + 3.0 * _GELU_CUBIC * xc * xc)
    return upstream * (s + xc * s * (1.0 - s) * d_inner)


@activation(
    "gelu_tanh_custom",
    derivative=derivative_from_saved(_gelu_tanh_saving_gate, _gelu_tanh_grad_from_gate),
    formula="0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))",
    derivative_formula="0.5 * (1 + t) + 0.5 * x * (1 - t^2) * sqrt(2 / pi) * (1 + 3 * 0.044715 * x^2),"
    " t = tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))",
    output_range=(-0.17004075057125406, math.inf),
    zero_centered=False,
    monotonic=False,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Hendrycks and Gimpel 2016, Gaussian Error Linear Units (GELUs), https://arxiv.org/abs/1606.08415",
    keras_builtin=("gelu", {"approximate": True}),
    torch_equivalent="torch.nn.GELU(approximate='tanh')",
)
def gelu_tanh_custom(x: TensorLike) -> TensorLike:
    """GELU, tanh approximation (as in the original BERT and GPT-2 code).

    Use it to reproduce models trained with the approximation (BERT, GPT-2,
    TensorFlow Addons' default `gelu`): it differs from the exact `gelu_custom`
    by up to 4.7e-4 (near x = -2.7), enough to change a deep network's outputs.
    New models can use either.

    Formula:
        gelu_tanh(x) = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))

    Reference:
        Hendrycks and Gimpel 2016, Gaussian Error Linear Units (GELUs),
        https://arxiv.org/abs/1606.08415

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.gelu_tanh_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.0454, -0.1543,  0.    ,  0.3457,  1.9546], dtype=float32)
    """
    return run("gelu_tanh_custom", _gelu_tanh, as_float(x))


def _gelu_tanh(x):
    return with_saved_gradient(_gelu_tanh_saving_gate, _gelu_tanh_grad_from_gate, x)


def _silu_grad(x):
    s = ops.sigmoid(x)
    return s * (1.0 + x * (1.0 - s))


@activation(
    "silu_custom",
    derivative=_silu_grad,
    formula="x * sigmoid(x)",
    derivative_formula="sigmoid(x) * (1 + x * (1 - sigmoid(x)))",
    output_range=(-0.27846454276107385, math.inf),
    zero_centered=False,
    monotonic=False,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Elfwing, Uchibe and Doya 2017, Sigmoid-Weighted Linear Units, https://arxiv.org/abs/1702.03118; "
    "Ramachandran, Zoph and Le 2017, Searching for Activation Functions, https://arxiv.org/abs/1710.05941",
    keras_builtin=("silu", {}),
    torch_equivalent="torch.nn.SiLU()",
    aliases=("swish_custom",),
)
def silu_custom(x: TensorLike) -> TensorLike:
    """Sigmoid linear unit, also called Swish (with beta = 1).

    `"swish_custom"` is an alias; `keras_act.layers.Swish` has a (trainable)
    beta.

    Formula:
        silu(x) = x * sigmoid(x)

    Reference:
        Elfwing, Uchibe and Doya 2017, Sigmoid-Weighted Linear Units,
        https://arxiv.org/abs/1702.03118;
        Ramachandran, Zoph and Le 2017, Searching for Activation Functions,
        https://arxiv.org/abs/1710.05941

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.silu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.2384, -0.1888,  0.    ,  0.3112,  1.7616], dtype=float32)
    """
    # tf.nn.silu already carries a memory-lean custom gradient.
    return run("silu_custom", ops.silu, as_float(x))


def swish(x: TensorLike, beta: float | TensorLike = 1.0) -> TensorLike:
    """Swish with a slope parameter: x * sigmoid(beta * x).

    `beta` may be a tensor or variable (the trainable case of
    `keras_act.layers.Swish`); `beta = 1` is `silu_custom`. A number beta
    must be 0 or a normal float32 number (float64 for float64 inputs);
    float16 and bfloat16 inputs are gated in float32 when beta is a tensor
    or not a normal number of their dtype (beta = 1e6 is inf in float16,
    and inf * 0 = NaN).

    Formula:
        swish(x) = x * sigmoid(beta * x)

    Reference:
        Ramachandran, Zoph and Le 2017, https://arxiv.org/abs/1710.05941

    Args:
        x: input tensor.
        beta: the slope of the gate, a number or (for a trainable beta) a
            tensor. Defaults to `1.0`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.swish(x, beta=2.0)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.036 , -0.1345,  0.    ,  0.3655,  1.964 ], dtype=float32)
    """
    beta = number("swish", "beta", beta, tensor=True)
    x = as_float(x)
    if is_number(beta):
        normal("swish", "beta", beta, x.dtype, zero_ok=True)
        if beta == 1:
            return ops.silu(x)
        dtype = hyperparameter_dtype(x.dtype, beta)
    else:
        # A learned beta: one backward for x and beta.
        beta = parameter(beta, hyperparameter_dtype(x.dtype, beta))
        return with_parameter_gradients(_swish_forward, _swish_backward, x, beta)
    return x * in_dtype(lambda x: ops.sigmoid(beta * x), x, dtype)


def _swish_forward(x, beta):
    # The gate in beta's dtype (float32 for float16 and bfloat16 inputs), the
    # product in x's, as for a number beta.
    wide = ops.cast(x, beta.dtype)
    gate = ops.sigmoid(beta * wide)
    y = x * ops.cast(gate, x.dtype)
    return y, (wide, gate, y if y.dtype == gate.dtype else wide * gate, beta)


def _swish_backward(saved, upstream):
    # With s = sigmoid(beta x) and y = x s: dy/dx = s + beta x s (1 - s)
    # and dy/dbeta = x^2 s (1 - s), from one product u = upstream (y - y s);
    # computed in beta's dtype.
    x, s, y, beta = saved
    upstream = ops.cast(upstream, s.dtype)
    u = upstream * (y - y * s)
    return upstream * s + beta * u, u * x


def _mish_saving_gate(x):
    t = _backend.tanh(ops.softplus(x))
    return x * t, (x, t)


def _mish_grad_from_gate(saved, upstream):
    # The forward's tanh(softplus(x)) reused, not recomputed.
    x, t = saved
    return upstream * (t + x * (1.0 - t * t) * ops.sigmoid(x))


@activation(
    "mish_custom",
    derivative=derivative_from_saved(_mish_saving_gate, _mish_grad_from_gate),
    formula="x * tanh(softplus(x))",
    derivative_formula="tanh(softplus(x)) + x * sech^2(softplus(x)) * sigmoid(x)",
    output_range=(-0.3088434130172505, math.inf),
    zero_centered=False,
    monotonic=False,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Misra 2019, Mish: A Self Regularized Non-Monotonic Activation Function, https://arxiv.org/abs/1908.08681",
    keras_builtin=("mish", {}),
    torch_equivalent="torch.nn.Mish()",
)
def mish_custom(x: TensorLike) -> TensorLike:
    """Mish: a smooth, non-monotonic self-gated activation.

    A drop-in alternative to ReLU and Swish, notably in convolutional detectors
    (YOLOv4); it costs more per element (softplus and tanh) than either.

    Formula:
        mish(x) = x * tanh(softplus(x))

    Reference:
        Misra 2019, Mish: A Self Regularized Non-Monotonic Activation Function,
        https://arxiv.org/abs/1908.08681

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.mish_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.2525, -0.2207,  0.    ,  0.3752,  1.944 ], dtype=float32)
    """
    return run("mish_custom", _mish, as_float(x))


def _mish(x):
    return with_saved_gradient(_mish_saving_gate, _mish_grad_from_gate, x)


def _hard_swish(x):
    # Multiply by the gate in [0, 1], never by relu6(x + 3) first: x * 6
    # overflows float16 for |x| > 10922.
    return x * (ops.relu6(x + 3.0) / 6.0)


def _hard_swish_grad(x):
    # Matches autodiff of Keras's hard_silu: 0 at x = -3, 1 at x = 3.
    # x / 3 + 1 / 2 is (2x + 3) / 6 within rounding, in two ops; scalar
    # branches of `where` broadcast instead of filling tensors.
    inside = x * (1.0 / 3.0) + 0.5
    return ops.where(x >= 3.0, 1.0, ops.where(x > -3.0, inside, 0.0))


@activation(
    "hard_swish_custom",
    derivative=_hard_swish_grad,
    formula="x * relu6(x + 3) / 6",
    derivative_formula="0 if x <= -3, (2x + 3) / 6 if -3 < x < 3, 1 if x >= 3",
    output_range=(-0.375, math.inf),
    zero_centered=False,
    monotonic=False,
    smooth=False,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Howard et al. 2019, Searching for MobileNetV3, https://arxiv.org/abs/1905.02244",
    flat_outputs=(0.0,),
    keras_builtin=("hard_silu", {}),
    torch_equivalent="torch.nn.Hardswish()",
)
def hard_swish_custom(x: TensorLike) -> TensorLike:
    """Piecewise-quadratic Swish for mobile networks (MobileNetV3).

    A cheap stand-in for Swish (SiLU) where exp is costly, in mobile and
    quantized networks: exactly 0 below -3 and the identity above 3.

    Formula:
        hard_swish(x) = x * relu6(x + 3) / 6

    Reference:
        Howard et al. 2019, Searching for MobileNetV3,
        https://arxiv.org/abs/1905.02244

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.hard_swish_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.3333, -0.2083,  0.    ,  0.2917,  1.6667], dtype=float32)
    """
    return run("hard_swish_custom", _hard_swish_portable, as_float(x))


def _hard_swish_portable(x):
    return with_derivative(_hard_swish, _hard_swish_grad, x)


def _lisht_saving_tanh(x):
    t = _backend.tanh(x)
    return x * t, (x, t)


def _lisht_grad_from_tanh(saved, upstream):
    x, t = saved
    return upstream * (t + x * (1.0 - t * t))


@activation(
    "lisht_custom",
    derivative=derivative_from_saved(_lisht_saving_tanh, _lisht_grad_from_tanh),
    formula="x * tanh(x)",
    derivative_formula="tanh(x) + x * (1 - tanh(x)^2)",
    output_range=(0.0, math.inf),
    zero_centered=False,
    monotonic=False,
    smooth=True,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference="Roy, Manna, Dubey and Chaudhuri 2019, LiSHT: Non-Parametric Linearly Scaled Hyperbolic Tangent Activation Function, https://arxiv.org/abs/1901.05894",
    torch_equivalent=None,
)
def lisht_custom(x: TensorLike) -> TensorLike:
    """Linearly scaled hyperbolic tangent: even, unbounded, non-saturating.

    Its gradient vanishes only at x = 0, so units neither die (as ReLU's) nor
    saturate (as tanh's); its outputs are non-negative (it is even), so it is
    not zero-centred.

    Formula:
        lisht(x) = x * tanh(x)

    Reference:
        Roy, Manna, Dubey and Chaudhuri 2019, LiSHT: Non-Parametric Linearly
        Scaled Hyperbolic Tangent Activation Function,
        https://arxiv.org/abs/1901.05894

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.lisht_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([1.9281, 0.2311, 0.    , 0.2311, 1.9281], dtype=float32)
    """
    return with_saved_gradient(_lisht_saving_tanh, _lisht_grad_from_tanh, as_float(x))


def _finite_or_zero(fx):
    # Where frequency * x overflows, sin^2(fx) / frequency < |x| / max is
    # below half an ulp of x: the output is x, and sin(0) = 0 gives it (and
    # the mean slope 1) without NaN, also in the untaken branch's gradient.
    return ops.where(ops.isfinite(fx), fx, 0.0)


def _snake(x, frequency):
    fx = _finite_or_zero(frequency * x)
    s = _backend.sin(fx)
    return x + s * s / frequency


def _snake_saving_sin(x, frequency):
    # Multiplying and dividing by a frequency of 1 are exact but cost two passes.
    one = is_number(frequency) and frequency == 1
    fx = x if one else frequency * x
    if frequency > 1:
        fx = _finite_or_zero(fx)
    s = _backend.sin(fx)
    return (x + s * s if one else x + s * s / frequency), (fx, s)


def _snake_grad_from_sin(saved, upstream, frequency):
    # The forward's sin(fx) reused. 1 + sin(2fx) written as
    # 1 + 2 sin(fx) cos(fx): 2fx overflows float16 for |x| > 32752
    # (sin(inf) = NaN) where fx does not.
    fx, s = saved
    return upstream * (1.0 + 2.0 * s * _backend.cos(fx))


def _snake_forward(x, frequency):
    fx = _finite_or_zero(frequency * x)
    s = _backend.sin(fx)
    square = s * s
    return x + square / frequency, (x, fx, s, square, frequency)


def _snake_backward(saved, upstream):
    # With e = sin(fx) cos(fx): dy/dx = 1 + 2e (= 1 + sin(2fx)) and
    # dy/df = (2 e x - sin(fx)^2 / f) / f, whose two terms are summed apart
    # so that f divides the sums, not every element. Where f x overflows,
    # sin(0) = 0 gives the identity's 1 and 0, as autodiff of the forward.
    x, fx, s, square, frequency = saved
    ue = upstream * (s * _backend.cos(fx))
    shape = frequency.shape
    d_f = 2.0 * sum_to_shape(ue * x, shape) - sum_to_shape(upstream * square, shape) / frequency
    return upstream + 2.0 * ue, d_f / frequency


@activation(
    "snake_custom",
    derivative=derivative_from_saved(_snake_saving_sin, _snake_grad_from_sin),
    formula="x + sin(frequency * x)^2 / frequency",
    derivative_formula="1 + sin(2 * frequency * x)",
    output_range=(-math.inf, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference="Ziyin, Hartwig and Ueda 2020, Neural Networks Fail to Learn Periodic Functions and How to Fix It, https://arxiv.org/abs/2006.08195",
)
def snake_custom(x: TensorLike, frequency: float | TensorLike = 1.0) -> TensorLike:
    """Snake: a monotonic activation with a periodic bias, for periodic data.

    Use it to model or extrapolate periodic signals (audio, as in BigVGAN's
    vocoder; seasonal time series): ReLU and tanh networks cannot extrapolate a
    period. A larger frequency oscillates faster; a small one approaches the
    identity.

    Formula:
        snake(x) = x + sin(frequency * x)^2 / frequency

    Reference:
        Ziyin, Hartwig and Ueda 2020, Neural Networks Fail to Learn Periodic
        Functions and How to Fix It, https://arxiv.org/abs/2006.08195

    Args:
        x: input tensor.
        frequency: the frequency of the periodic part, a number or (for a
            trainable frequency) a tensor. A number must be a normal
            float32 number (float64 for float64 inputs), > 0. float16 and
            bfloat16 inputs are computed in float32 when it is a tensor or
            not a normal number of their dtype (1e-8 is 0 in float16).
            Defaults to `1.0`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.snake_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1.1732, -0.2702,  0.    ,  0.7298,  2.8268], dtype=float32)
    """
    frequency = number("snake_custom", "frequency", frequency, minimum=0, strict=True, tensor=True)
    x = as_float(x)
    if not is_number(frequency):
        # A learned frequency: one backward for x and the frequency.
        frequency = parameter(frequency, hyperparameter_dtype(x.dtype, frequency))
        return in_dtype(
            lambda x: with_parameter_gradients(_snake_forward, _snake_backward, x, frequency), x, frequency.dtype
        )
    normal("snake_custom", "frequency", frequency, x.dtype)
    return in_dtype(
        lambda x: with_saved_gradient(_snake_saving_sin, _snake_grad_from_sin, x, frequency=frequency),
        x,
        hyperparameter_dtype(x.dtype, frequency),
    )
