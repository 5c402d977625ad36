"""Write the TensorFlow Addons fixtures with the real TensorFlow 2.15 + TFA 0.23.

Run on purpose only, never by `make test`, in a virtual environment of its
own (TFA supports TF 2.13-2.15 only and does not run on Keras 3):

    python3.11 -m venv /tmp/tfa-venv
    /tmp/tfa-venv/bin/pip install "tensorflow-cpu==2.15.1" "tensorflow-addons==0.23.0" "numpy<2" h5py
    /tmp/tfa-venv/bin/python saved_models/tfa/make_tfa_fixtures.py

For each model it writes NAME.h5 and NAME.keras (and, for one, the
SavedModel directory NAME_savedmodel/) beside NAME.npz, which holds `x` (the
inputs) and `y` (the outputs TF 2.15 gave in inference mode). The tests load
them in Keras 3 through `keras_act.compat.tfa` and compare with `y`.
"""

import json
import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import tensorflow as tf
import tensorflow_addons as tfa

HERE = os.path.dirname(os.path.abspath(__file__))
keras = tf.keras
tfa_act = tfa.activations


def _dense(units, activation=None, seed=0, **kwargs):
    return keras.layers.Dense(
        units,
        activation=activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        bias_initializer=keras.initializers.RandomNormal(stddev=0.1, seed=seed + 100),
        **kwargs,
    )


def tfa_activations_sequential():
    """Every tfa.activations function given to a Dense, and tfa.layers.Maxout.

    gelu is left out on purpose: Keras 2.15 writes tfa.activations.gelu as the
    built-in name 'gelu' (see tfa_gelu_function).
    """
    return keras.Sequential(
        [
            keras.Input((6,)),
            _dense(12, tfa_act.lisht, seed=1),
            _dense(12, tfa_act.hardshrink, seed=2),
            _dense(12, tfa_act.softshrink, seed=3),
            _dense(12, tfa_act.tanhshrink, seed=4),
            _dense(12, tfa_act.rrelu, seed=5),
            _dense(12, tfa_act.snake, seed=6),
            _dense(12, tfa_act.mish, seed=7),
            _dense(12, seed=8),
            tfa.layers.Maxout(num_units=4),
            _dense(8, seed=9),
            keras.layers.LeakyReLU(alpha=0.2),
            _dense(8, seed=10),
            keras.layers.PReLU(),
            _dense(5, tfa_act.sparsemax, seed=11),
        ],
        name="tfa_activations_sequential",
    )


def tfa_layers_functional():
    """tfa.layers (Maxout on axis 1, Sparsemax, GELU both ways, Snake), string
    ids, a Keras built-in 'gelu' (exact) and Keras 2 layers Keras 3 renamed or
    dropped (ThresholdedReLU)."""
    inputs = keras.Input((8,))
    h = _dense(12, seed=20)(inputs)
    seq = keras.layers.Reshape((6, 2))(h)
    branches = [
        keras.layers.Flatten()(tfa.layers.Maxout(num_units=3, axis=1)(seq)),
        tfa.layers.Sparsemax()(_dense(6, seed=21)(inputs)),
        tfa.layers.Sparsemax(axis=1)(keras.layers.Reshape((3, 2))(_dense(6, seed=22)(inputs))),
        tfa.layers.GELU()(_dense(6, seed=23)(inputs)),
        tfa.layers.GELU(approximate=False)(_dense(6, seed=24)(inputs)),
        tfa.layers.Snake(frequency_initializer=keras.initializers.Constant(2.0))(_dense(6, seed=25)(inputs)),
        _dense(6, "Addons>lisht", seed=26)(inputs),
        _dense(6, "Addons>tanhshrink", seed=27)(inputs),
        keras.layers.Activation(tfa_act.softshrink)(_dense(6, seed=28)(inputs)),
        keras.layers.Activation("gelu")(_dense(6, seed=29)(inputs)),
        keras.layers.ELU(alpha=0.5)(_dense(6, seed=30)(inputs)),
        keras.layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.2)(_dense(6, seed=31)(inputs)),
        keras.layers.ThresholdedReLU(theta=0.3)(_dense(6, seed=33)(inputs)),
    ]
    flat = [keras.layers.Flatten()(b) for b in branches]
    outputs = _dense(4, seed=32)(keras.layers.Concatenate()(flat))
    return keras.Model(inputs, outputs, name="tfa_layers_functional")


def tfa_gelu_function():
    """Dense(activation=tfa.activations.gelu): TFA's tanh form, saved as 'gelu'."""
    inputs = keras.Input((8,))
    h = _dense(16, tfa_act.gelu, seed=40)(inputs)
    h = _dense(16, tfa_act.gelu, seed=41)(h)
    return keras.Model(inputs, _dense(3, seed=42)(h), name="tfa_gelu_function")


def tfa_savedmodel():
    """What TF Serving users have: a SavedModel of a TFA model (no Snake:
    TF 2.15 cannot save TFA's Snake layer as a SavedModel)."""
    return keras.Sequential(
        [
            keras.Input((8,)),
            _dense(12, tfa_act.lisht, seed=50),
            tfa.layers.Maxout(num_units=6),
            _dense(6, tfa_act.gelu, seed=51),
            tfa.layers.Sparsemax(),
        ],
        name="tfa_savedmodel",
    )


def _train(model, seed, keep_optimizer=False):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(64, *model.input_shape[1:])).astype("float32")
    y = rng.normal(size=(64, *model.output_shape[1:])).astype("float32")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    if not keep_optimizer:
        # A fresh optimizer: the files keep a compile config, not Adam's
        # slots (which would triple their size); one fixture keeps them.
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return rng.normal(scale=2.0, size=(16, *model.input_shape[1:])).astype("float32")


def _keras_version():
    import keras as keras2  # TF 2.15's Keras 2 package, the one behind tf.keras

    return keras2.__version__


def write(name, build, savedmodel=False, keep_optimizer=False):
    keras.utils.set_random_seed(0)
    model = build()
    x = _train(model, seed=len(name), keep_optimizer=keep_optimizer)
    y = model.predict(x, verbose=0)
    assert np.array_equal(y, model.predict(x, verbose=0)), "inference must be deterministic"
    model.save(os.path.join(HERE, name + ".h5"))
    model.save(os.path.join(HERE, name + ".keras"))
    if savedmodel:
        path = os.path.join(HERE, name + "_savedmodel")
        shutil.rmtree(path, ignore_errors=True)
        tf.saved_model.save(model, path)
    np.savez(os.path.join(HERE, name + ".npz"), x=x, y=y)
    print(f"{name}: outputs {y.shape}, max |y| {np.abs(y).max():.4f}")


def main():
    print("TensorFlow", tf.__version__, "Keras", _keras_version(), "TFA", tfa.__version__)
    write("tfa_activations_sequential", tfa_activations_sequential)
    write("tfa_layers_functional", tfa_layers_functional)
    write("tfa_gelu_function", tfa_gelu_function, keep_optimizer=True)
    write("tfa_savedmodel", tfa_savedmodel, savedmodel=True)
    with open(os.path.join(HERE, "VERSIONS.json"), "w") as f:
        json.dump(
            {"tensorflow": tf.__version__, "keras": _keras_version(), "tensorflow_addons": tfa.__version__,
             "numpy": np.__version__, "python": sys.version.split()[0]},
            f,
            indent=1,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
