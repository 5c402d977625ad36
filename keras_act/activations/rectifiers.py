"""The ReLU family: piecewise-linear or exponential on the negative side."""

import math

from keras_act._lazy import keras
from keras_act._lazy import ops

from keras_act import _backend
from keras_act._kernels import run
from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import is_number, normal, number, ordered
from keras_act.activations._common import (
    EPSILON,
    as_float,
    hyperparameter_dtype,
    in_dtype,
    with_derivative,
    with_saved_gradient,
)
from keras_act.activations._learnable import parameter, sum_to_shape, with_parameter_gradients

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _step(x):
    # Heaviside with H(0) = 0: the subgradient TensorFlow and PyTorch use.
    return ops.cast(x > 0, x.dtype)


def _relu_grad(x):
    return _step(x)


@activation(
    "relu_custom",
    derivative=_relu_grad,
    formula="max(0, x)",
    derivative_formula="1 if x > 0 else 0",
    output_range=(0.0, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=False,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Nair and Hinton 2010, Rectified Linear Units Improve Restricted Boltzmann Machines, https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf",
    flat_outputs=(0.0,),
    keras_builtin=("relu", {}),
    torch_equivalent="torch.nn.ReLU()",
)
def relu_custom(x: TensorLike) -> TensorLike:
    """Rectified linear unit.

    The default for hidden layers: cheap, non-saturating for x > 0. Units
    whose input stays negative output 0 with gradient 0 and stop learning
    ("dying ReLU"); LeakyReLU, PReLU or ELU avoid that.

    Formula:
        relu(x) = max(0, x)

    Reference:
        Nair and Hinton 2010, Rectified Linear Units Improve Restricted
        Boltzmann Machines,
        https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.relu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0. , 0. , 0. , 0.5, 2. ], dtype=float32)
    """
    return run("relu_custom", ops.relu, as_float(x))


def _relu6_grad(x):
    return ops.cast((x > 0) & (x < 6), x.dtype)


@activation(
    "relu6_custom",
    derivative=_relu6_grad,
    formula="min(max(0, x), 6)",
    derivative_formula="1 if 0 < x < 6 else 0",
    output_range=(0.0, 6.0),
    zero_centered=False,
    monotonic=True,
    smooth=False,
    saturates="both",
    recommended_initializer="he_normal",
    reference="Krizhevsky 2010, Convolutional Deep Belief Networks on CIFAR-10, https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf",
    flat_outputs=(0.0, 6.0),
    keras_builtin=("relu6", {}),
    torch_equivalent="torch.nn.ReLU6()",
)
def relu6_custom(x: TensorLike) -> TensorLike:
    """ReLU capped at 6, robust under low-precision arithmetic (MobileNets).

    Use it in networks that will be quantized to 8 bits or run on mobile
    hardware: the bounded range [0, 6] stays representable at low precision.

    Formula:
        relu6(x) = min(max(0, x), 6)

    Reference:
        Krizhevsky 2010, Convolutional Deep Belief Networks on CIFAR-10,
        https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.relu6_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0. , 0. , 0. , 0.5, 2. ], dtype=float32)
    """
    return run("relu6_custom", ops.relu6, as_float(x))


def _leaky_relu_grad(x, negative_slope):
    return ops.where(x > 0, ops.ones_like(x), ops.full_like(x, negative_slope))


@activation(
    "leaky_relu_custom",
    derivative=_leaky_relu_grad,
    formula="x if x > 0 else negative_slope * x",
    derivative_formula="1 if x > 0 else negative_slope",
    output_range=(-math.inf, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=False,
    saturates="none",
    recommended_initializer="he_normal",
    reference="Maas, Hannun and Ng 2013, Rectifier Nonlinearities Improve Neural Network Acoustic Models, https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf",
    keras_builtin=("leaky_relu", {"negative_slope": 0.01}),
    torch_equivalent="torch.nn.LeakyReLU(0.01)",
)
def leaky_relu_custom(x: TensorLike, negative_slope: float = 0.01) -> TensorLike:
    """Leaky ReLU: a small fixed slope for x < 0 keeps every unit alive.

    The default slope is 0.01, as in Maas et al. 2013 and PyTorch (Keras's
    `leaky_relu` defaults to 0.2 and its `LeakyReLU` layer to 0.3).

    Formula:
        leaky_relu(x) = x if x > 0 else negative_slope * x

    Reference:
        Maas, Hannun and Ng 2013, Rectifier Nonlinearities Improve Neural
        Network Acoustic Models,
        https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf

    Args:
        x: input tensor.
        negative_slope: slope for x < 0. Defaults to `0.01`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.leaky_relu_custom(x, negative_slope=0.1)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.2 , -0.05,  0.  ,  0.5 ,  2.  ], dtype=float32)
    """
    negative_slope = number("leaky_relu_custom", "negative_slope", negative_slope, minimum=0, tensor=True)
    x = as_float(x)
    normal("leaky_relu_custom", "negative_slope", negative_slope, x.dtype, zero_ok=True)
    # A slope above 65504 is inf in float16, and inf * 0 = NaN at x = 0.
    return in_dtype(
        lambda x: run("leaky_relu_custom", _leaky_relu, x, negative_slope=negative_slope),
        x,
        hyperparameter_dtype(x.dtype, negative_slope),
    )


def _leaky_relu(x, negative_slope):
    # The gradient of where(x > 0, ...) at 0 is the slope, TensorFlow's
    # value (jax.nn.leaky_relu'(0) is 1).
    return ops.where(x > 0, x, x * negative_slope)


def _rrelu_grad(x, lower, upper):
    return _leaky_relu_grad(x, negative_slope=(lower + upper) / 2.0)


@activation(
    "rrelu_custom",
    derivative=_rrelu_grad,
    formula="x if x >= 0 else a * x; training: a ~ U(lower, upper) per element, "
    "inference: a = (lower + upper) / 2",
    derivative_formula="1 if x > 0 else a",
    output_range=(-math.inf, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=False,
    saturates="none",
    recommended_initializer="he_normal",
    reference="Xu, Wang, Chen and Li 2015, Empirical Evaluation of Rectified Activations in Convolutional Network, https://arxiv.org/abs/1505.00853",
    torch_equivalent="torch.nn.RReLU(1/8, 1/3)",
)
def rrelu_custom(
    x: TensorLike,
    lower: float = 1.0 / 8.0,
    upper: float = 1.0 / 3.0,
    training: bool = False,
    seed: int | None = None,
) -> TensorLike:
    """Randomized leaky ReLU.

    In training the negative slope is drawn per element and per call from
    U(lower, upper), which regularizes; at inference it is fixed at
    (lower + upper) / 2. The string id `"rrelu_custom"` is the inference
    form; the `keras_act.layers.RReLU` layer switches on `training`.

    Formula:
        rrelu(x) = x if x >= 0 else a * x;
        training: a ~ U(lower, upper) per element,
        inference: a = (lower + upper) / 2

    Reference:
        Xu, Wang, Chen and Li 2015, Empirical Evaluation of Rectified
        Activations in Convolutional Network, https://arxiv.org/abs/1505.00853

    Args:
        x: input tensor.
        lower: lower bound of the slope. Defaults to `1/8`.
        upper: upper bound of the slope. Defaults to `1/3`.
        training: draw random slopes. Defaults to `False`.
        seed: a `keras.random.SeedGenerator` or int for the draw.
            Defaults to `None`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.rrelu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.4583, -0.1146,  0.    ,  0.5   ,  2.    ], dtype=float32)
    """
    lower = number("rrelu_custom", "lower", lower, minimum=0, tensor=True)
    upper = number("rrelu_custom", "upper", upper, minimum=0, tensor=True)
    ordered("rrelu_custom", "lower", lower, "upper", upper)
    x = as_float(x)
    normal("rrelu_custom", "lower", lower, x.dtype, zero_ok=True)
    normal("rrelu_custom", "upper", upper, x.dtype, zero_ok=True)
    return in_dtype(
        lambda x: run("rrelu_custom", _rrelu, x, lower=lower, upper=upper, training=training, seed=seed),
        x,
        hyperparameter_dtype(x.dtype, lower, upper),
    )


def _rrelu(x, lower, upper, training, seed):
    if not training:
        return _leaky_relu(x, (lower + upper) / 2.0)
    slope = keras.random.uniform(ops.shape(x), minval=lower, maxval=upper, dtype=x.dtype, seed=seed)
    return ops.where(x >= 0, x, slope * x)


def _elu_grad(x, alpha):
    return ops.where(x > 0, ops.ones_like(x), alpha * ops.exp(_backend.minimum(x, 0.0)))


@activation(
    "elu_custom",
    derivative=_elu_grad,
    formula="x if x > 0 else alpha * (exp(x) - 1)",
    derivative_formula="1 if x > 0 else alpha * exp(x)",
    output_range=(-1.0, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Clevert, Unterthiner and Hochreiter 2015, Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs), https://arxiv.org/abs/1511.07289",
    keras_builtin=("elu", {"alpha": 1.0}),
    torch_equivalent="torch.nn.ELU(1.0)",
)
def elu_custom(x: TensorLike, alpha: float = 1.0) -> TensorLike:
    """Exponential linear unit.

    Negative outputs pull the mean activation toward zero (mean 0.16 for
    standard-normal inputs against ReLU's 0.40) and saturate to -alpha.

    Formula:
        elu(x) = x if x > 0 else alpha * (exp(x) - 1)

    Reference:
        Clevert, Unterthiner and Hochreiter 2015, Fast and Accurate Deep Network
        Learning by Exponential Linear Units (ELUs),
        https://arxiv.org/abs/1511.07289

    Args:
        x: input tensor.
        alpha: the negative saturation value is -alpha. Defaults to `1.0`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.elu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.8647, -0.3935,  0.    ,  0.5   ,  2.    ], dtype=float32)
    """
    alpha = number("elu_custom", "alpha", alpha, minimum=0, strict=True, tensor=True)
    x = as_float(x)
    normal("elu_custom", "alpha", alpha, x.dtype)
    return in_dtype(lambda x: run("elu_custom", _elu, x, alpha=alpha), x, hyperparameter_dtype(x.dtype, alpha))


def _elu(x, alpha):
    return ops.elu(x, alpha=alpha)


def _selu_grad(x):
    # At x = 0 TensorFlow's SeluGrad takes the linear branch (scale).
    return SELU_SCALE * ops.where(x >= 0, ops.ones_like(x), SELU_ALPHA * ops.exp(_backend.minimum(x, 0.0)))


@activation(
    "selu_custom",
    derivative=_selu_grad,
    formula="scale * (x if x > 0 else alpha * (exp(x) - 1))   (alpha = 1.6732632, scale = 1.0507010)",
    derivative_formula="scale if x >= 0 else scale * alpha * exp(x)",
    output_range=(-SELU_SCALE * SELU_ALPHA, math.inf),
    zero_centered=True,
    monotonic=True,
    smooth=False,
    saturates="negative",
    recommended_initializer="lecun_normal",
    reference="Klambauer, Unterthiner, Mayr and Hochreiter 2017, Self-Normalizing Neural Networks, https://arxiv.org/abs/1706.02515",
    keras_builtin=("selu", {}),
    torch_equivalent="torch.nn.SELU()",
)
def selu_custom(x: TensorLike) -> TensorLike:
    """Scaled exponential linear unit: self-normalizing networks.

    With `lecun_normal` weights, standardized inputs and `AlphaDropout`,
    activations keep mean 0 and variance 1 through depth.

    Formula:
        selu(x) = scale * (x if x > 0 else alpha * (exp(x) - 1))
        alpha = 1.6732632423543772, scale = 1.0507009873554805

    Reference:
        Klambauer, Unterthiner, Mayr and Hochreiter 2017, Self-Normalizing
        Neural Networks, https://arxiv.org/abs/1706.02515

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.selu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1.5202, -0.6918,  0.    ,  0.5254,  2.1014], dtype=float32)
    """
    return run("selu_custom", _selu, as_float(x))


def _selu(x):
    # jax.nn.selu and torch's selu take scale * alpha as the slope at 0;
    # TensorFlow's SeluGrad (and keras_act.derivative) take scale.
    return with_derivative(ops.selu, _selu_grad, x)


def _celu(x, alpha):
    if _is_one(alpha):
        # Dividing and multiplying by 1 are exact but cost two passes.
        return ops.where(x > 0, x, ops.expm1(_backend.minimum(x, 0.0)))
    return ops.where(x > 0, x, alpha * ops.expm1(_backend.minimum(x, 0.0) / alpha))


def _is_one(value):
    return is_number(value) and value == 1


def _celu_saving_output(x, alpha):
    y = _celu(x, alpha)
    return y, y


def _celu_grad_from_output(y, upstream, alpha):
    # exp(x / alpha) = y / alpha + 1 where x <= 0, and min(y, 0) = 0 where
    # x > 0: the derivative from the output, which the next layer keeps.
    m = _backend.minimum(y, 0.0)
    if not _is_one(alpha):
        m = m / alpha
    return upstream * (m + 1.0)


def _celu_grad(x, alpha):
    # Kept apart from _celu_grad_from_output (not derivative_from_saved): the
    # gradient reads exp(x / alpha) off the output as y / alpha + 1, which
    # cancels in the negative tail (float16: 4.9e-4 for 1.2e-4 at x = -9;
    # float64: 0 below x = -37), an error the record's derivative, the
    # reference the tests hold gradients to, must not have.
    return ops.where(x > 0, ops.ones_like(x), ops.exp(_backend.minimum(x, 0.0) / alpha))


@activation(
    "celu_custom",
    derivative=_celu_grad,
    formula="x if x > 0 else alpha * (exp(x / alpha) - 1)",
    derivative_formula="1 if x > 0 else exp(x / alpha)",
    output_range=(-1.0, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Barron 2017, Continuously Differentiable Exponential Linear Units, https://arxiv.org/abs/1704.07483",
    keras_builtin=("celu", {"alpha": 1.0}),
    torch_equivalent="torch.nn.CELU(1.0)",
)
def celu_custom(x: TensorLike, alpha: float = 1.0) -> TensorLike:
    """Continuously differentiable ELU: C1 for every alpha.

    Use it where ELU's derivative should be continuous at 0 for any alpha (ELU's
    is only for alpha = 1); with alpha = 1 it is `elu_custom`.

    Formula:
        celu(x) = x if x > 0 else alpha * (exp(x / alpha) - 1)

    Reference:
        Barron 2017, Continuously Differentiable Exponential Linear Units,
        https://arxiv.org/abs/1704.07483

    Args:
        x: input tensor.
        alpha: negative saturation value is -alpha; a normal float32
            number (float64 for float64 inputs), > 0. float16 inputs are
            computed in float32 when alpha is not a normal float16 (1e-8
            would be 0 there, 1e30 inf). Defaults to `1.0`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.celu_custom(x, alpha=0.5)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.4908, -0.3161,  0.    ,  0.5   ,  2.    ], dtype=float32)
    """
    alpha = number("celu_custom", "alpha", alpha, minimum=0, strict=True, tensor=True)
    x = as_float(x)
    normal("celu_custom", "alpha", alpha, x.dtype)
    return in_dtype(
        lambda x: run("celu_custom", _celu_any_alpha, x, alpha=alpha), x, hyperparameter_dtype(x.dtype, alpha)
    )


def _celu_any_alpha(x, alpha):
    y = with_saved_gradient(_celu_saving_output, _celu_grad_from_output, x, alpha=alpha)
    if alpha > 1:
        # x / alpha underflows where x does not (TensorFlow flushes the
        # subnormals to 0: celu(-3) was 0 at alpha = 1.7e308 in float64).
        # Where |x| < alpha * eps, alpha * expm1(x / alpha) is x to within
        # half an ulp (the next term is x^2 / (2 alpha)).
        y = ops.where(ops.abs(x) < alpha * EPSILON[keras.backend.standardize_dtype(x.dtype)], x, y)
    return y


def _threshold_grad(x, threshold, value):
    return ops.cast(x > threshold, x.dtype)


def _threshold_saving_mask(x, threshold, value):
    # As PyTorch: value where x <= threshold, so NaN passes through.
    at_or_below = x <= threshold
    return ops.where(at_or_below, value, x), at_or_below


def _threshold_grad_from_mask(at_or_below, upstream, threshold, value):
    # Keeps a one-byte mask for backward instead of the input.
    return ops.where(at_or_below, 0.0, upstream)


def threshold(x: TensorLike, threshold: float, value: float) -> TensorLike:
    """Threshold: x where x > threshold, a constant value elsewhere.

    Has no string id (it needs both arguments); use it directly or through
    `keras_act.layers.Threshold`.

    Formula:
        threshold(x) = x if x > threshold else value

    Reference:
        PyTorch torch.nn.Threshold,
        https://pytorch.org/docs/stable/generated/torch.nn.Threshold.html

    Args:
        x: input tensor.
        threshold: the cut-off.
        value: the output at and below the cut-off.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.threshold(x, threshold=0.0, value=-1.0)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1. , -1. , -1. ,  0.5,  2. ], dtype=float32)
    """
    return run("threshold", _threshold, as_float(x), threshold=threshold, value=value)


def _threshold(x, threshold, value):
    return with_saved_gradient(_threshold_saving_mask, _threshold_grad_from_mask, x, threshold=threshold, value=value)


def prelu(x: TensorLike, alpha: float | TensorLike) -> TensorLike:
    """Parametric ReLU with a given (usually learned) slope `alpha`.

    Has no string id (alpha is a weight); `keras_act.layers.PReLU` learns
    it. Written as relu(x) - alpha * relu(-x), the form LiteRT lowers to
    built-in ops, so `alpha` may be a tensor or variable broadcast to `x`.

    Formula:
        prelu(x) = x if x > 0 else alpha * x

    Reference:
        He, Zhang, Ren and Sun 2015, Delving Deep into Rectifiers,
        https://arxiv.org/abs/1502.01852

    Args:
        x: input tensor.
        alpha: slope for x < 0, a number or a tensor broadcastable to `x`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.prelu(x, alpha=0.25)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.5  , -0.125,  0.   ,  0.5  ,  2.   ], dtype=float32)
    """
    return run("prelu", _prelu, as_float(x), alpha=alpha)


def _prelu(x, alpha):
    if is_number(alpha):
        return ops.relu(x) - float(alpha) * ops.relu(-x)
    # A learned alpha: one backward for x and alpha.
    return with_parameter_gradients(_prelu_forward, _prelu_backward, x, parameter(alpha, x.dtype))


def _prelu_forward(x, alpha):
    positive, negative = ops.relu(x), ops.relu(-x)
    return positive - alpha * negative, (positive, negative, alpha)


def _prelu_backward(saved, upstream):
    # dy/dx = 1 for x > 0, alpha for x < 0 and 0 at x = 0 (relu'(0) = 0, as
    # autodiff of the forward and keras.layers.PReLU give): the signs of
    # relu(x) and relu(-x) are the two indicators (no select: torch.where
    # is several times slower than a product on the CPU); dy/dalpha =
    # -relu(-x).
    positive, negative, alpha = saved
    dx = upstream * (ops.sign(positive) + alpha * ops.sign(negative))
    return dx, -sum_to_shape(upstream * negative, alpha.shape)
