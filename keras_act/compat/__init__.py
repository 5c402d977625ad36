"""Opt-in compatibility with other activation libraries, and their model files.

Compatibility names (such as TensorFlow Addons' `Addons>...`) exist only
where a user asks for them: `import keras_act` does not import
`keras_act.compat.tfa`.

- `keras_act.compat.tfa`: TensorFlow Addons' activations under their own
  names and its mapping to keras_act (`MAPPINGS`), and loading of models
  saved by tf.keras 2.x with TensorFlow Addons (`load_model`, `migrate`).
- `_keras2`: the Keras 2 to Keras 3 model-file migration behind them (config
  rewriting of `.h5` and `.keras` files, optimizer keys, recompiling from the
  Keras 2 training configuration), given another library's names by a
  `Renames`.
- `_files`, `_config`, `_errors`: reading a damaged or hostile model file
  before Keras sees it, and `MigrationError`, whose first line names the
  file, the object and what is wrong. They import neither Keras nor
  TensorFlow, and `keras_act.inspect_model` uses them too.
"""
