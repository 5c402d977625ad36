"""Initialization must match the activation: 10-layer output std.

The notes' experiment: feed standard-normal data through 10 Dense layers
(no training, zero biases) and watch the standard deviation of each
layer's outputs. Xavier/Glorot keeps tanh's spread; with ReLU, which
zeroes half of its inputs, Xavier halves the variance at every layer and
the outputs collapse towards 0, while He (variance 2 / fan_in) keeps it;
SELU with LeCun normal (variance 1 / fan_in) keeps mean 0 and std 1.
Measured with `keras_act.diagnostics.activation_stats`.

Needs keras_act only (no extra). Prints its table; writes no files.

Run: `.venv/bin/python examples/initialization.py`
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

import keras_act  # noqa: F401  (registers "tanh_custom" and the rest)
from keras_act.diagnostics import activation_stats

PAIRS = (
    ("tanh_custom", "glorot_uniform"),
    ("relu_custom", "glorot_uniform"),
    ("relu_custom", "he_normal"),
    ("selu_custom", "lecun_normal"),
)


def build(activation_id, initializer, depth=10, width=256, seed=0):
    model = keras.Sequential([keras.Input(shape=(width,))])
    for i in range(depth):
        model.add(
            keras.layers.Dense(
                width,
                activation=activation_id,
                kernel_initializer=keras.initializers.get({"class_name": initializer, "config": {"seed": seed + i}}),
                name=f"layer_{i + 1}",
            )
        )
    return model


def output_stats(activation_id, initializer, depth=10, width=256, samples=1000, seed=0):
    """`activation_stats` of the 10-layer network on standard-normal inputs."""
    x = np.random.default_rng(seed).standard_normal((samples, width)).astype("float32")
    return activation_stats(build(activation_id, initializer, depth, width, seed), x)


def main(depth=10):
    print(f"std of each layer's outputs, {depth} x Dense(256), inputs N(0, 1), zero biases")
    layers = "".join(f"{'L' + str(i + 1):>7}" for i in range(depth))
    print(f"{'activation + initializer':<30}{layers}   mean L{depth}  zeros L{depth}")
    results = {}
    for activation_id, initializer in PAIRS:
        table = output_stats(activation_id, initializer, depth)
        results[(activation_id, initializer)] = table
        stds = "".join(f"{s:7.3f}" for s in table.column("std"))
        last = table[-1]
        print(f"{activation_id + ' + ' + initializer:<30}{stds}   {last.mean:8.3f}  {last.zero_fraction:9.3f}")
    return results


if __name__ == "__main__":
    main()
