"""Bad arguments fail in __init__ with "expected ... Received: name=value."."""

import math

import pytest

from keras_act import layers

CASES = [
    ("LeakyReLU", dict(negative_slope=-0.1), r"LeakyReLU expected `negative_slope` to be a finite number >= 0\. Received: negative_slope=-0\.1\."),
    ("LeakyReLU", dict(negative_slope="0.2"), r"Received: negative_slope='0\.2'\."),
    ("ELU", dict(alpha=0.0), r"ELU expected `alpha` to be a finite number > 0\. Received: alpha=0\.0\."),
    ("CELU", dict(alpha=-1.0), r"CELU expected `alpha` to be a finite number > 0\. Received: alpha=-1\.0\."),
    ("HardShrink", dict(threshold=-0.5), r"HardShrink expected `threshold` to be a finite number >= 0\. Received: threshold=-0\.5\."),
    ("SoftShrink", dict(threshold=math.nan), r"SoftShrink expected `threshold` to be a finite number >= 0\. Received: threshold=nan\."),
    ("HardTanh", dict(min_val=1.0, max_val=1.0), r"HardTanh expected min_val < max_val\. Received: min_val=1\.0, max_val=1\.0\."),
    ("Threshold", dict(threshold=None, value=0.0), r"Threshold expected `threshold` to be a finite number\. Received: threshold=None\."),
    ("Threshold", dict(threshold=0.0, value=math.inf), r"Threshold expected `value` to be a finite number\. Received: value=inf\."),
    ("Softplus", dict(beta=0.0), r"Softplus expected `beta` to be a finite number > 0\. Received: beta=0\.0\."),
    ("Softmax", dict(axis=1.0), r"Softmax expected `axis` to be an integer or a tuple of integers\. Received: axis=1\.0\."),
    ("LogSoftmax", dict(axis="last"), r"LogSoftmax expected `axis` to be an integer or a tuple of integers\. Received: axis='last'\."),
    ("Softmin", dict(axis=None), r"Softmin expected `axis` to be an integer or a tuple of integers\. Received: axis=None\."),
    ("GLU", dict(axis=[1]), r"GLU expected `axis` to be an integer\. Received: axis=\[1\]\."),
    ("Swish", dict(trainable_beta="yes"), r"Swish expected `trainable_beta` to be True or False\. Received: trainable_beta='yes'\."),
    ("Snake", dict(frequency=0.0), r"Snake expected `frequency` to be a finite number > 0\. Received: frequency=0\.0\."),
    ("Snake", dict(trainable_frequency=1), r"Snake expected `trainable_frequency` to be True or False\. Received: trainable_frequency=1\."),
    ("Maxout", dict(num_units=2, axis=1.0), r"Maxout expected `axis` to be an integer\. Received: axis=1\.0\."),
]


@pytest.mark.parametrize("name, kwargs, match", CASES, ids=[f"{c[0]}-{'-'.join(c[1])}" for c in CASES])
def test_invalid_arguments(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(layers, name)(**kwargs)


@pytest.mark.parametrize("name", ["Softmax", "LogSoftmax", "Softmin", "GLU"])
def test_axis_out_of_range_is_refused_in_build(name):
    layer = getattr(layers, name)(axis=3)
    with pytest.raises(ValueError, match=rf"{name} expected `axis` to be a non-batch axis of an input of rank 3.*Received: axis=3\."):
        layer.build((None, 4, 6))
