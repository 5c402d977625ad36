"""Bounded, S-shaped activations and their relatives."""

import math

from keras_act._lazy import ops

from keras_act import _backend, _keras_internals
from keras_act._kernels import run
from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import is_number, normal, number, ordered
from keras_act.activations._common import (
    as_float,
    derivative_from_saved,
    hyperparameter_dtype,
    in_dtype,
    with_derivative,
    with_saved_gradient,
)


def _sigmoid_grad(x):
    s = ops.sigmoid(x)
    return s * (1.0 - s)


@activation(
    "sigmoid_custom",
    derivative=_sigmoid_grad,
    formula="1 / (1 + exp(-x))",
    derivative_formula="sigmoid(x) * (1 - sigmoid(x))",
    output_range=(0.0, 1.0),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="Rumelhart, Hinton and Williams 1986, Learning representations by back-propagating errors, https://doi.org/10.1038/323533a0",
    keras_builtin=("sigmoid", {}),
    torch_equivalent="torch.nn.Sigmoid()",
)
def sigmoid_custom(x: TensorLike) -> TensorLike:
    """Logistic sigmoid.

    For probabilities and gates. In hidden layers it saturates at both ends
    (its derivative is at most 1/4) and is not zero-centred, so gradients
    vanish through depth.

    Formula:
        sigmoid(x) = 1 / (1 + exp(-x))

    Reference:
        Rumelhart, Hinton and Williams 1986, Learning representations by
        back-propagating errors, https://doi.org/10.1038/323533a0

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.sigmoid_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0.1192, 0.3775, 0.5   , 0.6225, 0.8808], dtype=float32)
    """
    x = as_float(x)
    # As keras.activations.sigmoid: a crossentropy loss on TensorFlow then
    # computes from x.
    return _keras_internals.attach_logits(run("sigmoid_custom", ops.sigmoid, x), x)


def _tanh_grad(x):
    t = _backend.tanh(x)
    return 1.0 - t * t


@activation(
    "tanh_custom",
    derivative=_tanh_grad,
    formula="(exp(x) - exp(-x)) / (exp(x) + exp(-x))",
    derivative_formula="1 - tanh(x)^2",
    output_range=(-1.0, 1.0),
    zero_centered=True,
    monotonic=True,
    smooth=True,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="LeCun, Bottou, Orr and Mueller 1998, Efficient BackProp, https://doi.org/10.1007/3-540-49430-8_2",
    keras_builtin=("tanh", {}),
    torch_equivalent="torch.nn.Tanh()",
)
def tanh_custom(x: TensorLike) -> TensorLike:
    """Hyperbolic tangent: a zero-centred sigmoid that saturates at -1 and 1.

    Use it for bounded, zero-centred states (recurrent cells) or outputs in [-1,
    1]; in deep feed-forward stacks it saturates, and ReLU-like units usually
    train faster.

    Formula:
        tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))

    Reference:
        LeCun, Bottou, Orr and Mueller 1998, Efficient BackProp,
        https://doi.org/10.1007/3-540-49430-8_2

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.tanh_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.964 , -0.4621,  0.    ,  0.4621,  0.964 ], dtype=float32)
    """
    return run("tanh_custom", _backend.tanh, as_float(x))


def _hard_sigmoid(x):
    return ops.relu6(x + 3.0) / 6.0


def _hard_sigmoid_grad(x):
    return ops.cast((x > -3.0) & (x < 3.0), x.dtype) / 6.0


@activation(
    "hard_sigmoid_custom",
    derivative=_hard_sigmoid_grad,
    formula="relu6(x + 3) / 6",
    derivative_formula="1/6 if -3 < x < 3 else 0",
    output_range=(0.0, 1.0),
    zero_centered=False,
    monotonic=True,
    smooth=False,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="Howard et al. 2019, Searching for MobileNetV3, https://arxiv.org/abs/1905.02244",
    flat_outputs=(0.0, 1.0),
    keras_builtin=("hard_sigmoid", {}),
    torch_equivalent="torch.nn.Hardsigmoid()",
)
def hard_sigmoid_custom(x: TensorLike) -> TensorLike:
    """Piecewise-linear sigmoid: cheap on mobile hardware.

    The MobileNetV3 form, as Keras 3 and PyTorch (Keras 2 used 0.2x + 0.5).

    Formula:
        hard_sigmoid(x) = relu6(x + 3) / 6

    Reference:
        Howard et al. 2019, Searching for MobileNetV3,
        https://arxiv.org/abs/1905.02244

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.hard_sigmoid_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0.1667, 0.4167, 0.5   , 0.5833, 0.8333], dtype=float32)
    """
    # Keras's own two kernels; TensorFlow's Relu6Grad is the derivative
    # (0 at both corners) and needs no more memory than a custom one.
    return run("hard_sigmoid_custom", _hard_sigmoid, as_float(x))


def _hard_tanh(x, min_val, max_val):
    return _backend.clip(x, min_val, max_val)


def _hard_tanh_saving_output(x, min_val, max_val):
    y = _hard_tanh(x, min_val, max_val)
    return y, y


def _hard_tanh_grad_from_output(y, upstream, min_val, max_val):
    # min_val < x < max_val exactly where min_val < y < max_val: 0 at the
    # corners, as PyTorch and as TensorFlow's relu6 (= hard_tanh(0, 6)).
    if is_number(min_val) and is_number(max_val) and min_val == -max_val:
        inside = ops.abs(y) < max_val
    else:
        inside = (y > min_val) & (y < max_val)
    return ops.where(inside, upstream, 0.0)


@activation(
    "hard_tanh_custom",
    derivative=derivative_from_saved(_hard_tanh_saving_output, _hard_tanh_grad_from_output),
    formula="min(max(x, min_val), max_val)",
    derivative_formula="1 if min_val < x < max_val else 0",
    output_range=(-1.0, 1.0),
    zero_centered=True,
    monotonic=True,
    smooth=False,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="Collobert 2004, Large Scale Machine Learning (PhD thesis), https://publications.idiap.ch/downloads/papers/2004/collobert_2004_phd.pdf",
    flat_outputs=(-1.0, 1.0),
    keras_builtin=("hard_tanh", {}),
    torch_equivalent="torch.nn.Hardtanh(-1.0, 1.0)",
)
def hard_tanh_custom(x: TensorLike, min_val: float = -1.0, max_val: float = 1.0) -> TensorLike:
    """Piecewise-linear tanh: identity clipped to [min_val, max_val].

    Use it for a bounded activation without exp (cheap, quantization-friendly),
    or to clip values to a known range; the gradient is 0 outside the range, so
    saturated units stop learning.

    Formula:
        hard_tanh(x) = min(max(x, min_val), max_val)

    Reference:
        Collobert 2004, Large Scale Machine Learning (PhD thesis),
        https://publications.idiap.ch/downloads/papers/2004/collobert_2004_phd.pdf

    Args:
        x: input tensor.
        min_val: lower bound. Defaults to `-1.0`.
        max_val: upper bound. Defaults to `1.0`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.hard_tanh_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1. , -0.5,  0. ,  0.5,  1. ], dtype=float32)
    """
    ordered("hard_tanh_custom", "min_val", min_val, "max_val", max_val, strict=True)
    return run("hard_tanh_custom", _hard_tanh_portable, as_float(x), min_val=min_val, max_val=max_val)


def _hard_tanh_portable(x, min_val, max_val):
    return with_saved_gradient(_hard_tanh_saving_output, _hard_tanh_grad_from_output, x, min_val=min_val, max_val=max_val)


def _softsign_grad(x):
    d = 1.0 + ops.abs(x)
    return 1.0 / (d * d)


@activation(
    "softsign_custom",
    derivative=_softsign_grad,
    formula="x / (1 + |x|)",
    derivative_formula="1 / (1 + |x|)^2",
    output_range=(-1.0, 1.0),
    zero_centered=True,
    monotonic=True,
    smooth=True,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="Bergstra, Desjardins, Lamblin and Bengio 2009, Quadratic polynomials learn better image features, Technical Report 1337, Universite de Montreal",
    keras_builtin=("softsign", {}),
    torch_equivalent="torch.nn.Softsign()",
)
def softsign_custom(x: TensorLike) -> TensorLike:
    """Softsign: tanh-like, saturating polynomially instead of exponentially.

    An alternative to tanh with heavier tails: its gradient decays as 1 / x^2
    rather than exponentially, so units saturate more slowly.

    Formula:
        softsign(x) = x / (1 + |x|)

    Reference:
        Bergstra, Desjardins, Lamblin and Bengio 2009, Quadratic polynomials
        learn better image features, Technical Report 1337, Universite de
        Montreal

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.softsign_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.6667, -0.3333,  0.    ,  0.3333,  0.6667], dtype=float32)
    """
    return run("softsign_custom", ops.softsign, as_float(x))


def _softplus(x, beta, threshold):
    bx = x * beta
    # Linear above the threshold (as PyTorch): also keeps beta * x from
    # overflowing into softplus for large inputs.
    return ops.where(bx > threshold, x, ops.softplus(_backend.minimum(bx, threshold)) / beta)


# float32 inputs above this are returned unchanged by tf.nn.softplus
# (tensorflow/core/kernels/softplus_op.h: x > -(log(eps) + 2) = 13.94).


def _softplus_grad(x, beta, threshold):
    bx = x * beta
    return ops.where(bx > threshold, ops.ones_like(x), ops.sigmoid(bx))


@activation(
    "softplus_custom",
    derivative=_softplus_grad,
    formula="log(1 + exp(beta * x)) / beta, x where beta * x > threshold",
    derivative_formula="sigmoid(beta * x), 1 where beta * x > threshold",
    output_range=(0.0, math.inf),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="negative",
    recommended_initializer="he_normal",
    reference="Dugas, Bengio, Belisle, Nadeau and Garcia 2001, Incorporating Second-Order Functional Knowledge for Better Option Pricing, NeurIPS 13",
    keras_builtin=("softplus", {}),
    torch_equivalent="torch.nn.Softplus(beta=1.0, threshold=20.0)",
)
def softplus_custom(x: TensorLike, beta: float = 1.0, threshold: float = 20.0) -> TensorLike:
    """Softplus: a smooth ReLU, as PyTorch's (with beta and threshold).

    Use it as a smooth ReLU or to map values to positive parameters (scales,
    rates, variances); beta sharpens the bend, and where beta * x exceeds
    `threshold` it returns x, as PyTorch's does.

    Formula:
        softplus(x) = log(1 + exp(beta * x)) / beta,
                      x where beta * x > threshold

    Reference:
        Dugas, Bengio, Belisle, Nadeau and Garcia 2001, Incorporating
        Second-Order Functional Knowledge for Better Option Pricing, NeurIPS 13

    Args:
        x: input tensor.
        beta: sharpness, a normal float32 number (float64 for float64
            inputs), > 0; float16 inputs are computed in float32 when beta
            is not a normal float16. Defaults to `1.0`.
        threshold: above `beta * x > threshold` the output is `x`.
            Defaults to `20.0`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.softplus_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([0.1269, 0.4741, 0.6931, 0.9741, 2.1269], dtype=float32)
    """
    beta = number("softplus_custom", "beta", beta, minimum=0, strict=True, tensor=True)
    x = as_float(x)
    normal("softplus_custom", "beta", beta, x.dtype)
    return in_dtype(
        lambda x: run("softplus_custom", _softplus_portable, x, beta=beta, threshold=threshold),
        x,
        hyperparameter_dtype(x.dtype, beta),
    )


def _softplus_portable(x, beta, threshold):
    return with_derivative(_softplus, _softplus_grad, x, beta=beta, threshold=threshold)


def _log_sigmoid_grad(x):
    return ops.sigmoid(-x)


@activation(
    "log_sigmoid_custom",
    derivative=_log_sigmoid_grad,
    formula="log(1 / (1 + exp(-x))) = -softplus(-x)",
    derivative_formula="sigmoid(-x) = 1 - sigmoid(x)",
    output_range=(-math.inf, 0.0),
    zero_centered=False,
    monotonic=True,
    smooth=True,
    saturates="positive",
    recommended_initializer="glorot_uniform",
    reference="Cox 1958, The Regression Analysis of Binary Sequences (log-likelihood of the logistic model), https://doi.org/10.1111/j.2517-6161.1958.tb00292.x",
    keras_builtin=("log_sigmoid", {}),
    torch_equivalent="torch.nn.LogSigmoid()",
)
def log_sigmoid_custom(x: TensorLike) -> TensorLike:
    """Logarithm of the sigmoid, computed without overflow as -softplus(-x).

    Use it for the log-probability of a binary outcome (a log-likelihood, a
    log-odds gate) in place of log(sigmoid(x)), which is -inf once sigmoid(x)
    rounds to 0 for large negative x.

    Formula:
        log_sigmoid(x) = log(1 / (1 + exp(-x))) = -softplus(-x)

    Reference:
        Cox 1958, The Regression Analysis of Binary Sequences (log-likelihood of
        the logistic model), https://doi.org/10.1111/j.2517-6161.1958.tb00292.x

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.log_sigmoid_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-2.1269, -0.9741, -0.6931, -0.4741, -0.1269], dtype=float32)
    """
    return run("log_sigmoid_custom", ops.log_sigmoid, as_float(x))
