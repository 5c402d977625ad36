"""Activation histograms in TensorBoard: a dying ReLU network beside a LeakyReLU one.

Trains the same MLP (3 hidden Dense(128) layers, he_normal, Adam with the
too-large learning rate 0.1) on scikit-learn's digits twice, once with ReLU
and once with LeakyReLU, with `keras_act.diagnostics.ActivationHistogram`
writing a histogram of every activation layer's outputs (and of their
inputs) each epoch. In TensorBoard's Histograms tab the ReLU run's mass piles
up in the bin at 0 as units die; the LeakyReLU run keeps a spread of
negative values (the slope that lets them recover).

Needs the `data` extra (scikit-learn) and TensorFlow (event files):
`pip install "keras_act[data]" tensorflow`. Writes logs/activation_histograms/{relu,leaky_relu}.

Run: `.venv/bin/python examples/activation_histograms.py`, then
`tensorboard --logdir logs/activation_histograms` and open the Histograms tab.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras

import keras_act
from keras_act.diagnostics import ActivationHistogram, DeadUnitMonitor
from keras_act.experiments import load_dataset

LOG_ROOT = os.path.join("logs", "activation_histograms")


def build(variant, depth=3, width=128):
    model = keras.Sequential([keras.Input(shape=(64,))])
    for i in range(depth):
        model.add(keras.layers.Dense(width, kernel_initializer="he_normal", name=f"dense_{i + 1}"))
        # The same layer names in both runs: TensorBoard shows them side by side.
        if variant == "relu":
            model.add(keras.layers.Activation("relu_custom", name=f"hidden_{i + 1}"))
        else:
            model.add(keras_act.layers.LeakyReLU(name=f"hidden_{i + 1}"))  # slope 0.01
    model.add(keras.layers.Dense(10, activation="softmax", name="classifier"))
    return model


def train(variant, epochs=10, learning_rate=0.1, seed=0, log_root=LOG_ROOT):
    keras.utils.set_random_seed(seed)
    x_train, x_test, y_train, y_test = load_dataset("digits", seed=seed)
    model = build(variant)
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy", metrics=["accuracy"])
    log_dir = os.path.join(log_root, variant)
    histograms = ActivationHistogram(x_train[:512], log_dir, pre_activations=True)
    dead = DeadUnitMonitor(x_train[:512], log_dir=log_dir)
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0, callbacks=[histograms, dead])
    accuracy = float(model.evaluate(x_test, y_test, verbose=0)[1])
    return history.history["dead_fraction"][-1], accuracy, log_dir


def main(epochs=10, log_root=LOG_ROOT):
    print(f"{'activation':<11} {'dead units':>10}  {'test acc':>8}  log dir")
    for variant in ("relu", "leaky_relu"):
        dead, accuracy, log_dir = train(variant, epochs=epochs, log_root=log_root)
        print(f"{variant:<11} {100 * dead:9.0f}%  {accuracy:8.4f}  {log_dir}")
    print(f"tensorboard --logdir {log_root}   (Histograms tab)")


if __name__ == "__main__":
    main()
