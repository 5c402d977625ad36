"""Opt-in compatibility with other activation libraries.

Nothing here is imported by `import keras_act`: compatibility names (such as
TensorFlow Addons' `Addons>...`) exist only where a user asks for them.

- `keras_act.compat.tfa`: TensorFlow Addons' activations under their own
  names, and loading of models saved by tf.keras 2.x with TensorFlow Addons.
"""
