"""Dying ReLU: a too-large learning rate kills ReLU units; LeakyReLU and PReLU keep them alive.

The notes' claim: a large update can push a ReLU unit's bias and weights so
far that its input is negative for every sample; it then outputs 0 with
gradient 0 and never learns again. Leaky ReLU (a small fixed slope for
x < 0) and PReLU (a learned slope) always pass some gradient, so their units
cannot die. This script trains the same MLP on scikit-learn's digits with a
sane and with a too-large learning rate, for ReLU, LeakyReLU and PReLU, and
prints `DeadUnitMonitor`'s dead-unit fraction after each epoch.

Needs the `data` extra (scikit-learn): `pip install "keras_act[data]"`.
Prints its table; writes no files.

Run: `.venv/bin/python examples/dying_relu.py`
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

import keras_act  # noqa: F401  (registers "relu_custom" and the rest)
from keras_act.experiments import load_dataset
from keras_act.diagnostics import DeadUnitMonitor, activation_layers
from keras_act.diagnostics.monitors import layer_outputs

VARIANTS = ("relu", "leaky_relu", "prelu")


def activation_layer(variant):
    if variant == "relu":
        return keras.layers.Activation("relu_custom")
    if variant == "leaky_relu":
        return keras_act.layers.LeakyReLU()  # slope 0.01, as in Maas et al. 2013 and PyTorch
    if variant == "prelu":
        return keras_act.layers.PReLU()  # slope learned, starting at 0.25
    raise ValueError(f"variant is one of {VARIANTS}. Received: variant={variant!r}.")


def build(variant, depth=3, width=128, input_dim=64, num_classes=10):
    model = keras.Sequential([keras.Input(shape=(input_dim,))])
    for i in range(depth):
        model.add(keras.layers.Dense(width, kernel_initializer="he_normal", name=f"dense_{i + 1}"))
        model.add(activation_layer(variant))
    model.add(keras.layers.Dense(num_classes, activation="softmax", name="classifier"))
    return model


def train(variant, learning_rate, epochs=5, seed=0):
    """Dead-unit fraction (all hidden units) after each epoch, the fraction
    of units whose output is <= 0 for every sample (dead under ReLU; still
    learning through the negative slope under LeakyReLU and PReLU) and the
    test accuracy, for one activation and Adam learning rate."""
    keras.utils.set_random_seed(seed)
    x_train, x_test, y_train, y_test = load_dataset("digits", seed=seed)
    model = build(variant)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    monitor = DeadUnitMonitor(x_train)
    before = monitor.measure(model)["dead_fraction"]
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0, callbacks=[monitor])
    accuracy = float(model.evaluate(x_test, y_test, verbose=0)[1])
    layers = [layer for layer, _ in activation_layers(model)][:-1]  # the hidden ones, not the softmax
    outputs = layer_outputs(model, layers, x_train)
    all_negative = float(np.mean(np.concatenate([np.all(y <= 0, axis=0) for y in outputs])))
    return {
        "variant": variant,
        "learning_rate": learning_rate,
        "dead_before": before,
        "dead": history.history["dead_fraction"],
        "all_negative": all_negative,
        "test_accuracy": accuracy,
    }


def main(rates=(0.001, 0.1), epochs=5):
    print("3 hidden Dense(128) + activation layers, he_normal, Adam, digits; dead units over all training samples")
    print("(<=0 everywhere: units whose output is <= 0 for every sample, dead under ReLU, alive with a slope)")
    print(
        f"{'activation':<11} {'lr':>5}  {'init':>5}  "
        + " ".join(f"ep{e + 1:<3}" for e in range(epochs))
        + "  <=0 everywhere  test acc"
    )
    results = []
    for rate in rates:
        for variant in VARIANTS:
            r = train(variant, rate, epochs=epochs)
            results.append(r)
            dead = " ".join(f"{100 * d:4.0f}%" for d in r["dead"])
            print(
                f"{variant:<11} {rate:>5g}  {100 * r['dead_before']:4.0f}%  {dead}  "
                f"{100 * r['all_negative']:13.0f}%  {r['test_accuracy']:.4f}"
            )
    return results


if __name__ == "__main__":
    main()
