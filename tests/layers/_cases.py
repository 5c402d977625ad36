"""One non-default instance of every keras_act layer, shared by the layer tests.

Adding a layer adds its entry here (its test case); which layers are
elementwise is found, not listed.
"""

import keras
import numpy as np

from keras_act import layers

# name -> (constructor kwargs, input shape without batch, number of weights)
CASES = {
    "PReLU": (dict(alpha_initializer=keras.initializers.Constant(0.1)), (5, 6), 1),
    "RReLU": (dict(lower=0.1, upper=0.3, seed=7), (6,), 0),
    "Maxout": (dict(num_units=3), (6,), 0),
    "LeakyReLU": (dict(negative_slope=0.2), (6,), 0),
    "ELU": (dict(alpha=0.5), (6,), 0),
    "CELU": (dict(alpha=2.0), (6,), 0),
    "HardShrink": (dict(threshold=0.3), (6,), 0),
    "SoftShrink": (dict(threshold=0.3), (6,), 0),
    "HardTanh": (dict(min_val=-0.5, max_val=2.0), (6,), 0),
    "Threshold": (dict(threshold=0.1, value=-1.0), (6,), 0),
    "Softplus": (dict(beta=2.0, threshold=5.0), (6,), 0),
    "Softmax": (dict(axis=1), (4, 6), 0),
    "LogSoftmax": (dict(axis=-1), (6,), 0),
    "Softmin": (dict(axis=-1), (6,), 0),
    "GLU": (dict(axis=-1), (6,), 0),
    "Sparsemax": (dict(axis=1), (4, 6), 0),
    "GELU": (dict(approximate=True), (6,), 0),
    "Swish": (dict(beta=1.5, trainable_beta=True), (6,), 1),
    "Snake": (dict(frequency=2.0, trainable_frequency=True), (6,), 1),
    "SwiGLU": (dict(axis=-1), (6,), 0),
    "GeGLU": (dict(axis=1), (4, 6), 0),
    "ReGLU": (dict(axis=-1), (6,), 0),
    "PELU": (dict(a_initializer=keras.initializers.Constant(1.5), b_initializer=keras.initializers.Constant(0.5)), (5, 6), 2),
    "SReLU": (dict(t_right_initializer=keras.initializers.Constant(2.0)), (6,), 4),
    "StarReLU": (dict(scale_value=1.0, bias_value=0.0), (6,), 2),
    "PAU": (dict(initial="tanh"), (6,), 2),
}



def make(name):
    kwargs, _, _ = CASES[name]
    return getattr(layers, name)(**kwargs)


def _is_elementwise(name):
    """Whether each output of the layer depends on its own input alone, found
    by moving one input at a time (never listed by hand)."""
    _, shape, _ = CASES[name]
    layer = make(name)
    x = np.random.default_rng(0).normal(size=(1, *shape)).astype("float32")
    y = keras.ops.convert_to_numpy(layer(x))
    if y.shape != x.shape:
        return False
    for i in np.ndindex(*x.shape):
        moved = x.copy()
        moved[i] += 0.25
        changed = keras.ops.convert_to_numpy(layer(moved)) != y
        if changed.any() and (changed.sum() > 1 or not changed[i]):
            return False
    return True


ELEMENTWISE = [name for name in CASES if _is_elementwise(name)]
