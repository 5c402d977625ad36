"""keras_act quickstart: string activation ids in a real model.

Trains a small classifier on scikit-learn's handwritten digits (8x8
images, shipped offline with scikit-learn) using keras_act activations by
their string ids, and prints its test accuracy.

Run with `make demo`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import keras_act  # noqa: F401  (importing registers "selu_custom" and the rest)


def load_data(seed=0):
    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")
    x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-6)  # SELU wants standardized inputs
    return train_test_split(x, digits.target, test_size=0.25, random_state=seed, stratify=digits.target)


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(64, activation="selu_custom", kernel_initializer="lecun_normal"),
            keras.layers.Dense(64, kernel_initializer="he_normal"),
            keras.layers.Activation("hard_swish_custom"),
            keras.layers.Dense(10, activation="softmax_custom"),
        ]
    )


def main():
    keras.utils.set_random_seed(0)
    x_train, x_test, y_train, y_test = load_data()
    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=20, batch_size=64, validation_split=0.1, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"keras_act {keras_act.__version__}: {len(keras_act.list_activations())} activation ids")
    print("model: Dense(64, 'selu_custom') -> Dense(64) + Activation('hard_swish_custom') -> Dense(10, 'softmax_custom')")
    print(f"digits test accuracy: {accuracy:.4f} (loss {loss:.4f}, {len(x_test)} test images)")
    return accuracy


if __name__ == "__main__":
    main()
