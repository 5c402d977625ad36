"""A layer object as Dense's activation: trains, saves and reloads with its hyperparameters."""

import numpy as np

import keras
from keras_act import layers


def test_dense_with_a_layer_activation_round_trips(tmp_path):
    rng = np.random.RandomState(0)
    x, y = rng.normal(size=(32, 5)).astype("float32"), rng.normal(size=(32, 2)).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((5,)),
            keras.layers.Dense(8, activation=layers.LeakyReLU(negative_slope=0.2)),
            keras.layers.Dense(8, activation=layers.PReLU()),
            keras.layers.Dense(2),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, verbose=0)
    trained_alpha = keras.ops.convert_to_numpy(model.layers[1].activation.alpha)
    assert not np.allclose(trained_alpha, 0.25)  # the activation's weight was trained
    config = model.layers[0].get_config()["activation"]
    assert config["registered_name"] == "keras_act>LeakyReLU"
    assert config["config"]["negative_slope"] == 0.2

    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    activation = loaded.layers[0].activation
    assert isinstance(activation, layers.LeakyReLU) and activation.negative_slope == 0.2
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(loaded.layers[1].activation.alpha), trained_alpha)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    # Negative inputs see slope 0.2, not Keras's 0.3 or keras_act's default 0.01.
    np.testing.assert_allclose(keras.ops.convert_to_numpy(activation(np.array([-1.0], "float32"))), [-0.2])
