"""Vanishing gradients: a deep sigmoid network against ReLU and ELU.

The notes' claim: sigmoid' is at most 0.25, so the gradient reaching the
first layer of a deep sigmoid network is a product of many small factors
and nearly vanishes; ReLU's derivative is 0 or 1 and ELU's is 1 for x > 0,
so theirs does not. This script builds the same 10-layer MLP for each
activation (with its matched initializer), measures the gradient norm of
every layer's weights on a batch of scikit-learn's digits with
`keras_act.diagnostics.gradient_norms` (what `GradientFlowMonitor` logs),
and prints the first/last ratio, at initialization and after training.

Needs the `data` extra (scikit-learn): `pip install "keras_act[data]"`.
Prints its table; writes no files.

Run: `.venv/bin/python examples/vanishing_gradients.py`
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras

import keras_act
from keras_act.experiments import load_dataset
from keras_act.diagnostics import GradientFlowMonitor, gradient_norms

ACTIVATIONS = ("sigmoid_custom", "tanh_custom", "relu_custom", "elu_custom")


def build(activation_id, depth=10, width=64, input_dim=64, num_classes=10):
    rec = keras_act.record(activation_id)
    model = keras.Sequential([keras.Input(shape=(input_dim,))])
    for i in range(depth):
        model.add(
            keras.layers.Dense(
                width,
                activation=activation_id,
                kernel_initializer=rec.recommended_initializer,
                name=f"hidden_{i + 1}",
            )
        )
    model.add(keras.layers.Dense(num_classes, activation="softmax", name="classifier"))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def measure(activation_id, depth=10, epochs=0, seed=0, batch=256):
    """Gradient norms of the hidden layers at initialization (and, with
    `epochs`, after training), the first/last ratio and the test accuracy."""
    keras.utils.set_random_seed(seed)
    x_train, x_test, y_train, y_test = load_dataset("digits", seed=seed)
    model = build(activation_id, depth=depth)
    norms = gradient_norms(model, x_train[:batch], y_train[:batch])
    hidden = [norms[f"hidden_{i + 1}"] for i in range(depth)]
    result = {"id": activation_id, "init_norms": hidden, "init_ratio": hidden[0] / hidden[-1]}
    if epochs:
        monitor = GradientFlowMonitor(x_train[:batch], y_train[:batch])
        model.fit(x_train, y_train, epochs=epochs, batch_size=64, verbose=0, callbacks=[monitor])
        final = [monitor.history[f"grad_norm/hidden_{i + 1}"][-1] for i in range(depth)]
        result["trained_ratio"] = final[0] / final[-1]
        result["test_accuracy"] = float(model.evaluate(x_test, y_test, verbose=0)[1])
    return result


def main(depth=10, epochs=5):
    print(f"{depth} hidden Dense(64) layers on digits, matched initializers, batch of 256")
    print(f"{'activation':<16} {'|g| layer 1':>12} {'|g| layer ' + str(depth):>12} {'ratio@init':>11} "
          f"{'ratio@' + str(epochs) + 'ep':>10} {'test acc':>9}")
    results = []
    for activation_id in ACTIVATIONS:
        r = measure(activation_id, depth=depth, epochs=epochs)
        results.append(r)
        print(
            f"{activation_id:<16} {r['init_norms'][0]:>12.3e} {r['init_norms'][-1]:>12.3e} "
            f"{r['init_ratio']:>11.2e} {r['trained_ratio']:>10.2e} {r['test_accuracy']:>9.4f}"
        )
    return results


if __name__ == "__main__":
    main()
