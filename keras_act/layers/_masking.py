"""Masks for the layers that normalize over an axis (as keras.layers.Softmax)."""

import keras
from keras import ops

from keras_act import _validation


def _large(dtype):
    # exp(-3e4) and exp(-1e9) are both 0, and -3e4 still fits float16.
    return 3e4 if keras.backend.standardize_dtype(dtype) == "float16" else 1e9


def as_bool(mask):
    if keras.backend.standardize_dtype(mask.dtype) != "bool":
        mask = ops.greater(mask, ops.cast(0.5, mask.dtype))
    return mask


def fill(inputs, mask, sign):
    """Replace masked-out inputs by a large number of the given sign."""
    return ops.where(mask, inputs, ops.cast(sign * _large(inputs.dtype), inputs.dtype))


def check_broadcastable(layer, inputs, mask):
    """Refuse a mask that would change the shape of the output.

    Broadcasting a (2, 3) mask against (1, 3) inputs, or a (1, 1, 3) mask
    against rank-2 inputs, silently returned a tensor of another shape than
    `compute_output_shape` says; `keras.layers.Softmax` raises for both.
    """
    mask_shape, input_shape = tuple(mask.shape), tuple(inputs.shape)
    ok = len(mask_shape) <= len(input_shape) and all(
        m is None or i is None or m in (1, i) for m, i in zip(mask_shape[::-1], input_shape[::-1])
    )
    if not ok:
        _validation.refuse(
            layer,
            "a `mask` broadcastable to the inputs without changing their shape: no more dimensions than the "
            "inputs, each of size 1 or the inputs' size",
            "Pass a mask of the inputs' shape.",
            **{"mask.shape": mask_shape, "inputs.shape": input_shape},
        )
