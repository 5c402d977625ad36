"""Shrinkage activations: zero (or nearly) in a band around the origin."""

import math

from keras_act._lazy import ops

from keras_act import _backend
from keras_act._kernels import run
from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import number, ordered
from keras_act.activations._common import (
    as_float,
    derivative_from_saved,
    saving_output,
    with_saved_gradient,
)


# How to fix a band given the wrong way round.
_BAND = "The zero band is [lower, upper]: pass the smaller bound as lower."


def _band(threshold):
    # The symmetric band of hard_shrink_custom and soft_shrink_custom.
    return {"lower": -threshold, "upper": threshold}


def _hard_shrink_saving_mask(x, lower, upper):
    # Written so that NaN (for which every comparison is False) stays NaN.
    # The one-byte mask is what Keras's autodiff of tf.where keeps too.
    # For lower = -t, upper = t this is |x| <= t to the bit (abs is exact).
    inside = ops.logical_and(x >= lower, x <= upper)
    return ops.where(inside, 0.0, x), inside


def _hard_shrink_grad_from_mask(inside, upstream, lower, upper):
    return ops.where(inside, 0.0, upstream)


def _shrink_grad_from_output(y, upstream, lower, upper):
    # Both shrinks are non-zero exactly outside [lower, upper] (x - upper
    # is 0 only where x == upper; NaN passes).
    return ops.where(y == 0, 0.0, upstream)


def hard_shrink_band(x: TensorLike, lower: float = -0.5, upper: float = 0.5) -> TensorLike:
    """Hard shrinkage with an asymmetric zero band, as TensorFlow Addons' `hardshrink`.

    Keeps x outside [lower, upper] and zeroes it inside. Has no string id
    (it takes two bounds); `hard_shrink_custom(x, t)` is
    `hard_shrink_band(x, -t, t)`.

    Formula:
        hard_shrink_band(x) = x  if x < lower or x > upper
                              0  otherwise

    Reference:
        Donoho and Johnstone 1994, https://doi.org/10.1093/biomet/81.3.425

    Args:
        x: input tensor.
        lower: lower end of the zero band. Defaults to `-0.5`.
        upper: upper end of the zero band, >= lower. Defaults to `0.5`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.hard_shrink_band(x, lower=-1.0, upper=0.25)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-2. ,  0. ,  0. ,  0.5,  2. ], dtype=float32)
    """
    ordered("hard_shrink_band", "lower", lower, "upper", upper, fix=_BAND)
    return with_saved_gradient(
        _hard_shrink_saving_mask, _hard_shrink_grad_from_mask, as_float(x), lower=lower, upper=upper
    )


def _soft_shrink(x, lower, upper):
    # x - clip(x) is x - upper above, x - lower below, 0 inside, in 3 ops
    # (for lower = -t, upper = t: sign(x) * relu(|x| - t) to the bit).
    return x - _backend.clip(x, lower, upper)


def soft_shrink_band(x: TensorLike, lower: float = -0.5, upper: float = 0.5) -> TensorLike:
    """Soft shrinkage with an asymmetric zero band, as TensorFlow Addons' `softshrink`.

    Moves x toward the band [lower, upper] and zeroes it inside. Has no
    string id (it takes two bounds); `soft_shrink_custom(x, t)` is
    `soft_shrink_band(x, -t, t)`.

    Formula:
        soft_shrink_band(x) = x - upper  if x > upper
                              x - lower  if x < lower
                              0          otherwise
                            = x - clip(x, lower, upper)

    Reference:
        Donoho 1995, https://doi.org/10.1109/18.382009

    Args:
        x: input tensor.
        lower: lower end of the zero band. Defaults to `-0.5`.
        upper: upper end of the zero band, >= lower. Defaults to `0.5`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.soft_shrink_band(x, lower=-1.0, upper=0.25)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1.  ,  0.  ,  0.  ,  0.25,  1.75], dtype=float32)
    """
    ordered("soft_shrink_band", "lower", lower, "upper", upper, fix=_BAND)
    return with_saved_gradient(
        saving_output(_soft_shrink), _shrink_grad_from_output, as_float(x), lower=lower, upper=upper
    )


@activation(
    "hard_shrink_custom",
    derivative=derivative_from_saved(_hard_shrink_saving_mask, _hard_shrink_grad_from_mask, _band),
    formula="x if |x| > threshold else 0",
    derivative_formula="1 if |x| > threshold else 0",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=True,
    smooth=False,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference="Donoho and Johnstone 1994, Ideal spatial adaptation by wavelet shrinkage, https://doi.org/10.1093/biomet/81.3.425",
    flat_outputs=(0.0,),
    keras_builtin=("hard_shrink", {"threshold": 0.5}),
    torch_equivalent="torch.nn.Hardshrink(0.5)",
)
def hard_shrink_custom(x: TensorLike, threshold: float = 0.5) -> TensorLike:
    """Hard shrinkage: keeps x outside the band [-threshold, threshold].

    (One source note writes -x for x < -threshold; the definition is x.)

    Formula:
        hard_shrink(x) = x if |x| > threshold else 0

    Reference:
        Donoho and Johnstone 1994, Ideal spatial adaptation by wavelet
        shrinkage, https://doi.org/10.1093/biomet/81.3.425

    Args:
        x: input tensor.
        threshold: half-width of the zero band. Defaults to `0.5`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.hard_shrink_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-2.,  0.,  0.,  0.,  2.], dtype=float32)
    """
    threshold = number("hard_shrink_custom", "threshold", threshold, minimum=0, tensor=True)
    return run("hard_shrink_custom", _hard_shrink, as_float(x), threshold=threshold)


def _hard_shrink(x, threshold):
    return hard_shrink_band(x, -threshold, threshold)


@activation(
    "soft_shrink_custom",
    derivative=derivative_from_saved(saving_output(_soft_shrink), _shrink_grad_from_output, _band),
    formula="x - threshold if x > threshold, x + threshold if x < -threshold, else 0",
    derivative_formula="1 if |x| > threshold else 0",
    output_range=(-math.inf, math.inf),
    zero_centered=True,
    monotonic=True,
    smooth=False,
    saturates="none",
    recommended_initializer="glorot_uniform",
    reference="Donoho 1995, De-noising by soft-thresholding, https://doi.org/10.1109/18.382009",
    flat_outputs=(0.0,),
    keras_builtin=("soft_shrink", {"threshold": 0.5}),
    torch_equivalent="torch.nn.Softshrink(0.5)",
)
def soft_shrink_custom(x: TensorLike, threshold: float = 0.5) -> TensorLike:
    """Soft shrinkage: moves x toward zero by threshold, zero inside the band.

    Use it for sparse codes and denoising: it is the proximal operator of
    threshold * |x| (the step of ISTA-type solvers) and, unlike hard shrinkage,
    continuous.

    Formula:
        soft_shrink(x) = x - threshold  if x > threshold,
                         x + threshold  if x < -threshold,
                         else 0

    Reference:
        Donoho 1995, De-noising by soft-thresholding,
        https://doi.org/10.1109/18.382009

    Args:
        x: input tensor.
        threshold: half-width of the zero band. Defaults to `0.5`.

    Example:
        >>> x = np.array([-2.0, -1.0, 0.0, 0.25, 2.0], "float32")
        >>> y = keras_act.activations.soft_shrink_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1.5, -0.5,  0. ,  0. ,  1.5], dtype=float32)
    """
    threshold = number("soft_shrink_custom", "threshold", threshold, minimum=0, tensor=True)
    return run("soft_shrink_custom", _soft_shrink_symmetric, as_float(x), threshold=threshold)


def _soft_shrink_symmetric(x, threshold):
    return soft_shrink_band(x, -threshold, threshold)


def _tanh_shrink_saving_tanh(x):
    t = _backend.tanh(x)
    return x - t, t


def _tanh_shrink_grad_from_tanh(t, upstream):
    return upstream * (t * t)


@activation(
    "tanh_shrink_custom",
    derivative=derivative_from_saved(_tanh_shrink_saving_tanh, _tanh_shrink_grad_from_tanh),
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
def tanh_shrink_custom(x: TensorLike) -> TensorLike:
    """Tanh shrinkage: the residual of tanh, flat near zero, linear far away.

    A smooth relative of soft shrinkage: small inputs are suppressed (it grows
    as x^3 / 3 near 0) and large ones pass shifted by about 1 toward 0.

    Formula:
        tanh_shrink(x) = x - tanh(x)

    Reference:
        PyTorch torch.nn.Tanhshrink,
        https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html

    Args:
        x: input tensor.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.activations.tanh_shrink_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1.036 , -0.0379,  0.    ,  0.0379,  1.036 ], dtype=float32)
    """
    return run("tanh_shrink_custom", _tanh_shrink, as_float(x))


def _tanh_shrink(x):
    return with_saved_gradient(_tanh_shrink_saving_tanh, _tanh_shrink_grad_from_tanh, x)
