"""keras_act quickstart: string ids and layers in a real model, saved and reloaded.

Trains a small classifier on scikit-learn's handwritten digits (8x8
images, shipped offline with scikit-learn) with a keras_act string id
(`Dense(64, activation="selu_custom")`) beside keras_act's PReLU, Maxout
and RReLU layers, prints its test accuracy, saves it to
saved_models/quickstart.keras and reloads it in a new Python process (which
only imports keras_act) to show the predictions match.

Needs the `data` extra (scikit-learn): `make demo` installs it, or
`pip install "keras_act[data]"`. Writes saved_models/quickstart.keras and
saved_models/quickstart_check.npz in the repository (next to examples/;
git-ignored).

Run with `make demo` or `.venv/bin/python examples/quickstart.py`.
"""

import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import keras_act  # importing registers "selu_custom" and the rest, and the layers
from keras_act import layers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_PATH = os.path.join(ROOT, "saved_models", "quickstart.keras")
DATA_PATH = os.path.join(ROOT, "saved_models", "quickstart_check.npz")

# Runs in a fresh process: the only thing it needs from us is `import keras_act`.
RELOAD = """
import sys
import keras, numpy as np
import keras_act
model = keras.saving.load_model(sys.argv[1])
data = np.load(sys.argv[2])
print(float(np.abs(model.predict(data["x"], verbose=0) - data["p"]).max()))
"""


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
            layers.PReLU(),  # learned slope per unit, starting at 0.25
            keras.layers.Dense(64, kernel_initializer="he_normal"),
            layers.Maxout(num_units=32),  # 32 units, each the max of 2 linear pieces
            keras.layers.Dense(32, kernel_initializer="he_normal"),
            layers.RReLU(seed=0),  # random slopes in training, fixed at inference
            keras.layers.Dense(10, activation="softmax_custom"),
        ]
    )


def reload_in_new_process(x_test, predictions):
    np.savez(DATA_PATH, x=x_test, p=predictions)
    result = subprocess.run(
        [sys.executable, "-c", RELOAD, MODEL_PATH, DATA_PATH], capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def main():
    keras.utils.set_random_seed(0)
    x_train, x_test, y_train, y_test = load_data()
    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=20, batch_size=64, validation_split=0.1, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"keras_act {keras_act.__version__}: {len(keras_act.list_activations())} activation ids")
    print(
        "model: Dense(64, 'selu_custom') -> Dense(64) + PReLU -> Dense(64) + Maxout(32) "
        "-> Dense(32) + RReLU -> Dense(10, 'softmax_custom')"
    )
    print(f"digits test accuracy: {accuracy:.4f} (loss {loss:.4f}, {len(x_test)} test images)")

    os.makedirs(os.path.dirname(MODEL_PATH), exist_ok=True)
    model.save(MODEL_PATH)
    difference = reload_in_new_process(x_test, model.predict(x_test, verbose=0))
    verdict = "match" if difference < 1e-6 else "DO NOT match"
    print(f"saved to {os.path.relpath(MODEL_PATH, ROOT)}; reloaded in a new process: predictions {verdict} "
          f"(max difference {difference:.1e})")
    if difference >= 1e-6:
        raise SystemExit(1)
    return accuracy


if __name__ == "__main__":
    main()
