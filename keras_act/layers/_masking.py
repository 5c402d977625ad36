"""Masks for the layers that normalize over an axis (as keras.layers.Softmax)."""

import keras
from keras import ops


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
