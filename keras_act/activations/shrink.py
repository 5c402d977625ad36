"""Shrinkage activations: zero (or nearly) in a band around the origin."""

import math

from keras import ops

from keras_act._record import activation
from keras_act.activations._common import as_float, check_non_negative, with_derivative


def _hard_shrink(x, threshold=0.5):
    # Written so that NaN (for which every comparison is False) stays NaN.
    return ops.where(ops.abs(x) <= threshold, ops.zeros_like(x), x)


def _shrink_grad(x, threshold=0.5):
    return ops.cast(ops.abs(x) > threshold, x.dtype)


@activation(
    "hard_shrink_custom",
    derivative=_shrink_grad,
    formula="x if |x| > threshold else 0   (threshold = 0.5)",
    derivative_formula="1 if |x| > threshold else 0",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=True,
    smooth=False,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference="Donoho and Johnstone 1994, Ideal spatial adaptation by wavelet shrinkage, https://doi.org/10.1093/biomet/81.3.425",
    defaults={"threshold": 0.5},
    flat_outputs=(0.0,),
    keras_builtin=("hard_shrink", {"threshold": 0.5}),
    torch_equivalent="torch.nn.Hardshrink(0.5)",
)
def hard_shrink_custom(x, threshold=0.5):
    """Hard shrinkage: keeps x outside the band [-threshold, threshold].

    (One source note writes -x for x < -threshold; the definition is x.)

    Formula:
        hard_shrink(x) = x if |x| > threshold else 0

    Reference:
        Donoho and Johnstone 1994, https://doi.org/10.1093/biomet/81.3.425

    Args:
        x: input tensor.
        threshold: half-width of the zero band. Defaults to `0.5`.
    """
    check_non_negative("threshold", threshold, "hard_shrink_custom")
    return with_derivative(_hard_shrink, _shrink_grad, as_float(x), threshold=threshold)


def _soft_shrink(x, threshold=0.5):
    return ops.sign(x) * ops.relu(ops.abs(x) - threshold)


@activation(
    "soft_shrink_custom",
    derivative=_shrink_grad,
    formula="x - threshold if x > threshold, x + threshold if x < -threshold, else 0   (threshold = 0.5)",
    derivative_formula="1 if |x| > threshold else 0",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=True,
    smooth=False,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference="Donoho 1995, De-noising by soft-thresholding, https://doi.org/10.1109/18.382009",
    defaults={"threshold": 0.5},
    flat_outputs=(0.0,),
    keras_builtin=("soft_shrink", {"threshold": 0.5}),
    torch_equivalent="torch.nn.Softshrink(0.5)",
)
def soft_shrink_custom(x, threshold=0.5):
    """Soft shrinkage: moves x toward zero by threshold, zero inside the band.

    Formula:
        soft_shrink(x) = x - threshold  if x > threshold
                         x + threshold  if x < -threshold
                         0              otherwise

    Reference:
        Donoho 1995, https://doi.org/10.1109/18.382009

    Args:
        x: input tensor.
        threshold: half-width of the zero band. Defaults to `0.5`.
    """
    check_non_negative("threshold", threshold, "soft_shrink_custom")
    return with_derivative(_soft_shrink, _shrink_grad, as_float(x), threshold=threshold)


def _tanh_shrink(x):
    return x - ops.tanh(x)


def _tanh_shrink_grad(x):
    t = ops.tanh(x)
    return t * t


@activation(
    "tanh_shrink_custom",
    derivative=_tanh_shrink_grad,
    formula="x - tanh(x)",
    derivative_formula="tanh(x)^2",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=True,
    smooth=True,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference="PyTorch torch.nn.Tanhshrink, https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html",
    keras_builtin=("tanh_shrink", {}),
    torch_equivalent="torch.nn.Tanhshrink()",
)
def tanh_shrink_custom(x):
    """Tanh shrinkage: the residual of tanh, flat near zero, linear far away.

    Formula:
        tanh_shrink(x) = x - tanh(x)

    Reference:
        https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html
    """
    return with_derivative(_tanh_shrink, _tanh_shrink_grad, as_float(x))
