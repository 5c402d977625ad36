"""TensorFlow Addons in Keras 3: TFA's activations, and TFA-era models that load.

TensorFlow Addons reached end of life in May 2024 and never ran on Keras 3.
This opt-in module is its users' way over:

- `load_model(path)` loads a `.h5` or `.keras` file written by tf.keras 2.x
  (TensorFlow 2.13-2.15) with TensorFlow Addons into a Keras 3 model that
  computes what TensorFlow 2.15 computed. Every `Addons>` activation and layer
  becomes keras_act's (see `MAPPINGS`), and what Keras 3 no longer reads in a
  Keras 2 file is rewritten (`KERAS2_REWRITES`).
- `migrate(old, new)` does that once and saves a `.keras` file that names
  only keras_act's objects, so later loads need `import keras_act` alone.
- `custom_objects()` is the same mapping as a dict, for `keras.saving.load_model`.
- `gelu`, `hardshrink`, `lisht`, `mish`, `rrelu`, `snake`, `softshrink`,
  `sparsemax`, `tanhshrink` are `tfa.activations`' functions with TFA's
  signatures and defaults.

Why `gelu_approximate` exists: Keras 2.15 saved `tfa.activations.gelu` (whose
default was the tanh approximation) under the plain name `'gelu'`, the same
string as Keras's own exact gelu, so a file cannot tell which one a layer
used. Keras 3 reads `'gelu'` as the exact form; outputs then differ by about
1e-4 to 1e-2, growing with depth. Set `gelu_approximate=True` when the model was built with
`activation=tfa.activations.gelu` (or `"gelu"` through TFA); leave it False
(the default) for `activation="gelu"` in plain tf.keras. The flag applies to
every `'gelu'` in the file: a model that mixed both cannot be told apart.

TensorFlow SavedModel directories hold TensorFlow graphs, not Keras configs,
and TFA 0.23 ships no custom kernels, so Keras 3 serves them with
`keras.layers.TFSMLayer(path, call_endpoint="serving_default")` (TensorFlow
backend), keras_act or not.

A damaged, truncated or hand-edited file is a `MigrationError` (a
`ValueError`) whose first line names the file, the object in it (a layer
and its class, a config key, an archive member) and what is wrong with it,
checked before Keras builds anything (keras_act/compat/_files.py,
_config.py); a model whose weights hold NaN or inf loads with a
`NonFiniteWeightsWarning` naming the layer. The Keras 2 to Keras 3 file
rewriting itself lives in keras_act/compat/_keras2.py.
"""

import dataclasses
import os
from typing import Any

import keras

from keras_act import layers as _layers
from keras_act._record import PACKAGE
from keras_act._typing import TensorLike
from keras_act.activations import (
    gelu_custom,
    gelu_tanh_custom,
    hard_shrink_band,
    lisht_custom,
    mish_custom,
    rrelu_custom,
    snake_custom,
    soft_shrink_band,
    sparsemax_custom,
    tanh_shrink_custom,
)
from keras_act.compat import _keras2
from keras_act.compat._errors import MigrationError, NonFiniteWeightsWarning
from keras_act.registry import record

__all__ = [
    "KERAS2_REWRITES",
    "MAPPINGS",
    "Mapping",
    "MigrationError",
    "NonFiniteWeightsWarning",
    "custom_objects",
    "gelu",
    "hardshrink",
    "lisht",
    "load_model",
    "migrate",
    "mish",
    "rrelu",
    "snake",
    "softshrink",
    "sparsemax",
    "tanhshrink",
]

_TFA = "Addons>"


@dataclasses.dataclass(frozen=True)
class Mapping:
    """One name in a tf.keras 2.x / TensorFlow Addons file and what it becomes.

    Attributes:
        old: the name as the file has it (`"Addons>lisht"`, `"LeakyReLU"`).
        kind: `"activation"` (a function) or `"layer"`.
        new: the keras_act string id or `keras_act.layers` class name, or
            the Keras 3 name.
        note: what changes on the way, if anything.
    """

    old: str
    kind: str
    new: str
    note: str = ""


# Every TensorFlow Addons activation and activation layer. TFA's defaults
# are kept: its gelu defaulted to the tanh approximation, its hardshrink and
# softshrink to the band (-0.5, 0.5), which is keras_act's threshold 0.5.
MAPPINGS = (
    Mapping("Addons>gelu", "activation", "gelu_tanh_custom", "TFA's default approximate=True"),
    Mapping("Addons>hardshrink", "activation", "hard_shrink_custom", "lower=-0.5, upper=0.5 is threshold=0.5"),
    Mapping("Addons>lisht", "activation", "lisht_custom"),
    Mapping("Addons>mish", "activation", "mish_custom"),
    Mapping("Addons>rrelu", "activation", "rrelu_custom", "inference slope (lower + upper) / 2"),
    Mapping("Addons>snake", "activation", "snake_custom", "frequency=1"),
    Mapping("Addons>softshrink", "activation", "soft_shrink_custom", "lower=-0.5, upper=0.5 is threshold=0.5"),
    Mapping("Addons>sparsemax", "activation", "sparsemax_custom", "last axis"),
    Mapping("Addons>tanhshrink", "activation", "tanh_shrink_custom"),
    Mapping("Addons>GELU", "layer", "GELU", "`approximate` kept (TFA's default True)"),
    Mapping("Addons>Maxout", "layer", "Maxout", "same config (num_units, axis) and strided grouping"),
    Mapping("Addons>Snake", "layer", "Snake", "frequency_initializer -> frequency, trainable_frequency=True; the learned weight loads"),
    Mapping("Addons>Sparsemax", "layer", "Sparsemax", "same config (axis)"),
)

# What Keras 3 cannot read (or reads differently) in a tf.keras 2.x file, and
# what it becomes; `new` is the full name as the migrated file has it.
KERAS2_REWRITES = (
    Mapping("Functional", "layer", "Functional", "Keras 2.13-2.15 name the module keras.src.engine.functional, gone in Keras 3"),
    Mapping("LeakyReLU", "layer", "LeakyReLU", "config key alpha -> negative_slope (value kept)"),
    Mapping("ThresholdedReLU", "layer", "keras_act>Threshold", "removed in Keras 3; theta -> keras_act Threshold(threshold=theta, value=0)"),
    Mapping("gelu", "activation", "keras_act>gelu_tanh_custom", "only with gelu_approximate=True (see the module docstring)"),
    Mapping("input_layers, output_layers", "model", "input_layers, output_layers", "one input or output: Keras 2's list of one unwrapped, so the model takes and returns a tensor as it did"),
    Mapping("optimizer", "compile", "optimizer", "Keras 2 keys jit_compile and is_legacy_optimizer dropped, `.h5`'s Custom>Adam is Adam; the optimizer state is not carried over"),
    Mapping("loss, metrics", "compile", "loss, metrics", "recompiled through model.compile (Keras 3.15's legacy loader cannot rebuild a loss given as a string)"),
)

_ACTIVATIONS = {m.old: m.new for m in MAPPINGS if m.kind == "activation"}
_LAYERS = {m.old: m.new for m in MAPPINGS if m.kind == "layer"}


# --------------------------------------------------------------------------
# tfa.activations, with TFA's signatures and defaults


def gelu(x: TensorLike, approximate: bool = True) -> TensorLike:
    """TFA's `gelu(x, approximate=True)`: the tanh form unless approximate=False.

    keras_act's ids are `gelu_tanh_custom` (TFA's default) and `gelu_custom`
    (exact); `keras_act.layers.GELU(approximate=...)` is the layer.

    Args:
        x: input tensor.
        approximate: the tanh approximation (TFA's default) if True, the
            exact erf form if False. Defaults to `True`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.compat.tfa.gelu(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.0454, -0.1543,  0.    ,  0.3457,  1.9546], dtype=float32)
    """
    return gelu_tanh_custom(x) if approximate else gelu_custom(x)


def hardshrink(x: TensorLike, lower: float = -0.5, upper: float = 0.5) -> TensorLike:
    """TFA's `hardshrink(x, lower=-0.5, upper=0.5)`: x outside [lower, upper], else 0.

    Use it to run code written for `tfa.activations.hardshrink` unchanged;
    keras_act's own name is `hard_shrink_band`.

    Args:
        x: input tensor.
        lower: lower end of the zero band. Defaults to `-0.5`.
        upper: upper end of the zero band, >= lower. Defaults to `0.5`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.compat.tfa.hardshrink(x, lower=-1.0, upper=0.25)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-2. ,  0. ,  0. ,  0.5,  2. ], dtype=float32)
    """
    return hard_shrink_band(x, lower=lower, upper=upper)


def softshrink(x: TensorLike, lower: float = -0.5, upper: float = 0.5) -> TensorLike:
    """TFA's `softshrink(x, lower=-0.5, upper=0.5)`: x - upper above, x - lower below, else 0.

    Use it to run code written for `tfa.activations.softshrink` unchanged;
    keras_act's own name is `soft_shrink_band`.

    Args:
        x: input tensor.
        lower: lower end of the zero band. Defaults to `-0.5`.
        upper: upper end of the zero band, >= lower. Defaults to `0.5`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.compat.tfa.softshrink(x, lower=-1.0, upper=0.25)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-1.  ,  0.  ,  0.  ,  0.25,  1.75], dtype=float32)
    """
    return soft_shrink_band(x, lower=lower, upper=upper)


def rrelu(
    x: TensorLike,
    lower: float = 0.125,
    upper: float = 1.0 / 3.0,
    training: bool | None = None,
    seed: int | None = None,
) -> TensorLike:
    """TFA's `rrelu`: a random slope in U(lower, upper) when training, their mean otherwise.

    `training=None` means inference, as TFA's did outside a training loop.
    (TFA's `rng` argument is not supported: pass `seed`.)

    Args:
        x: input tensor.
        lower: lower bound of the random slope. Defaults to `0.125`.
        upper: upper bound of the random slope. Defaults to `1 / 3`.
        training: draw random slopes if True; None or False use their
            mean. Defaults to `None`.
        seed: seed of the random slopes. Defaults to `None`.

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> y = keras_act.compat.tfa.rrelu(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([-0.4583, -0.1146,  0.    ,  0.5   ,  2.    ], dtype=float32)
    """
    return rrelu_custom(x, lower=lower, upper=upper, training=bool(training), seed=seed)


def sparsemax(logits: TensorLike, axis: int = -1) -> TensorLike:
    """TFA's `sparsemax(logits, axis=-1)` (keras_act's `sparsemax_custom`).

    Use it to run code written for `tfa.activations.sparsemax` unchanged;
    keras_act's own name is `sparsemax_custom`.

    Args:
        logits: input tensor.
        axis: the axis to normalize over. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 0.9, 0.8, -1.0]], "float32")
        >>> y = keras_act.compat.tfa.sparsemax(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.4333, 0.3333, 0.2333, 0.    ]], dtype=float32)
    """
    return sparsemax_custom(logits, axis=axis)


lisht = lisht_custom
mish = mish_custom
snake = snake_custom
tanhshrink = tanh_shrink_custom

# Registered so that `Dense(activation=keras_act.compat.tfa.gelu)` saves under
# its own name: unregistered, Keras would save it as "gelu" and reload Keras's
# exact gelu instead, silently. (lisht, mish, snake and tanhshrink are
# keras_act's own registered functions.)
for _fn in (gelu, hardshrink, softshrink, rrelu, sparsemax):
    keras.saving.register_keras_serializable(package=PACKAGE, name=f"tfa_{_fn.__name__}")(_fn)
del _fn


# --------------------------------------------------------------------------
# Layers whose TFA config differs from keras_act's


def _snake_config(config):
    config = dict(config)
    value = config.pop("frequency_initializer", "ones")
    try:
        initializer = keras.initializers.get(value)
    except ValueError as e:
        raise ValueError(
            f"expected `frequency_initializer` to be an initializer Keras 3 has. Received: "
            f"frequency_initializer={value!r}."
        ) from e
    # The initial value only; the learned frequency is loaded with the weights.
    frequency = float(keras.ops.convert_to_numpy(initializer(shape=(), dtype="float32")))
    return {**config, "frequency": frequency if frequency > 0 else 1.0, "trainable_frequency": True}


_CONFIG_CHANGES = {"Addons>Snake": _snake_config}


def custom_objects() -> dict[str, Any]:
    """The TFA (and Keras 2) names as a dict for `keras.saving.load_model`.

    `keras.saving.load_model(path, custom_objects=keras_act.compat.tfa.custom_objects(), compile=False)`
    resolves every `Addons>` name and Keras 2's `Functional`. What only
    `load_model` does, because it rewrites the file: rebuild a Keras 2
    compile configuration (hence `compile=False` here), unwrap a single
    input that Keras 2 stored as a list of one, rename `ThresholdedReLU`
    in a `.keras` file, read `'gelu'` as TFA's tanh form on request, name
    the objects it cannot map, and check a damaged or hostile file before
    Keras builds anything from it. A model loaded either way saves under
    keras_act's names.

    Example:
        >>> keras_act.compat.tfa.custom_objects()["Addons>mish"] is keras_act.activations.mish_custom
        True
    """
    objects = {old: record(new).fn for old, new in _ACTIVATIONS.items()}
    for old, new in _LAYERS.items():
        cls = getattr(_layers, new)
        objects[old] = _keras2.FromConfig(cls, _CONFIG_CHANGES[old]) if old in _CONFIG_CHANGES else cls
    objects["ThresholdedReLU"] = _keras2.FromConfig(_layers.Threshold, _keras2.thresholded_relu_config)
    objects["Functional"] = keras.Model
    return objects


# --------------------------------------------------------------------------
# What keras_act has no mapping for


def _leftovers(node, found, where="model"):
    """Every `Addons>` name still in `node`, with where it is."""
    if isinstance(node, list):
        for item in node:
            _leftovers(item, found, where)
    elif isinstance(node, dict):
        config = node.get("config")
        if isinstance(config, dict) and isinstance(config.get("name"), str):
            where = f"layer {config['name']!r}"
        for value in node.values():
            _leftovers(value, found, where)
    elif isinstance(node, str) and node.startswith(_TFA):
        found.append((where, node))
    return found


def _unmapped_message(path, found, part):
    names = ", ".join(f"{name!r} ({where})" for where, name in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    hint = (
        " Pass compile=False to load the architecture and weights without the training configuration."
        if part == "training configuration"
        else " Replace these objects in a TF 2.15 environment, or load the weights into a Keras 3 model you rebuild."
    )
    return (
        f"{path}: keras_act.compat.tfa has no mapping for {names}{more} in the {part}; it maps the TensorFlow "
        f"Addons activations and activation layers (keras_act.compat.tfa.MAPPINGS).{hint}"
    )


def _check_mapped(path, model_config, training_config, compile_model):
    found = _leftovers(model_config, [])
    if found:
        raise MigrationError(_unmapped_message(path, found, "model"))
    if compile_model and training_config is not None:
        found = _leftovers(training_config, [])
        if found:
            raise MigrationError(_unmapped_message(path, found, "training configuration"))


_RENAMES = _keras2.Renames(
    functions=_ACTIVATIONS,
    layers=_LAYERS,
    config_changes=_CONFIG_CHANGES,
    objects=custom_objects,
    check_mapped=_check_mapped,
)


def load_model(
    path: str | os.PathLike[str],
    gelu_approximate: bool = False,
    **load_kwargs: Any,
) -> keras.Model:
    """Load a tf.keras 2.x model that uses TensorFlow Addons into Keras 3.

    Every `Addons>` activation and layer becomes keras_act's (`MAPPINGS`)
    and Keras 2's own names that Keras 3 no longer reads are rewritten
    (`KERAS2_REWRITES`), in a temporary copy: `path` is never modified.
    The model computes what TensorFlow 2.15 computed, to float32 rounding.

    Args:
        path: a `.h5` or `.keras` file written by tf.keras 2.x (TensorFlow
            2.13-2.15), with or without TensorFlow Addons.
        gelu_approximate: read the file's plain `'gelu'` activations as
            TFA's tanh approximation (`gelu_tanh_custom`) rather than Keras's
            exact gelu. Set it when the model used `tfa.activations.gelu`,
            which Keras 2.15 saved as `'gelu'`. Defaults to `False`.
        **load_kwargs: passed to `keras.saving.load_model` (`compile`,
            `safe_mode`, `custom_objects`).

    Returns:
        The Keras 3 model.

    Raises:
        FileNotFoundError: if `path` does not exist (also a MigrationError).
        MigrationError: a `ValueError` whose first line names the file, the
            object and what is wrong with it, for every file that does not
            load: not a regular file (a FIFO or a device is refused without
            being opened), not a Keras model, a SavedModel directory (use
            `keras.layers.TFSMLayer`), damaged or truncated, a config with a
            wrong type, an absurd size or a non-finite hyperparameter (checked
            before Keras builds anything), objects keras_act has no mapping
            for, or a training configuration whose loss, metric or optimizer
            Keras 3 does not have (e.g. a TFA optimizer: pass
            `compile=False`). The error underneath is chained as the cause.

    Warns:
        NonFiniteWeightsWarning: for each layer whose weights hold NaN or
            inf (they load as saved).

    Example:
        A model whose `'gelu'` came from `tfa.activations.gelu` (here a
        stand-in written by Keras 3; a tf.keras 2.x `.h5` file loads alike):

        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "old.keras")
        >>> keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="gelu")]).save(path)
        >>> model = keras_act.compat.tfa.load_model(path, gelu_approximate=True)
        >>> model.layers[0].activation.__name__
        'gelu_tanh_custom'
    """
    model, _ = _keras2.load(path, _RENAMES, gelu_approximate, dict(load_kwargs))
    return model


def migrate(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    gelu_approximate: bool = False,
    **load_kwargs: Any,
) -> list[tuple[str, str, str]]:
    """Convert a tf.keras 2.x / TensorFlow Addons model file into a Keras 3 `.keras` file.

    The new file names only keras_act's and Keras's objects, so it loads
    with `keras.saving.load_model(dst)` in any process that has run
    `import keras_act`. The source file is never modified.

    Args:
        src: the old `.h5` or `.keras` file.
        dst: the new file; must end in `.keras`, must not exist and must not
            be `src`.
        gelu_approximate: as in `load_model`. Defaults to `False`.
        **load_kwargs: passed to `keras.saving.load_model`.

    Returns:
        The list of `(where, old name, new name)` rows of what was mapped.

    Raises:
        FileNotFoundError, MigrationError: as `load_model`, and a
            MigrationError if `dst` is not a new `.keras` path in an
            existing directory. `dst` is written under a temporary name and
            renamed once complete: a failed migration leaves nothing behind.

    Example:
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> old = os.path.join(folder, "old.keras")
        >>> dense = keras.layers.Dense(1, activation="gelu", name="d")
        >>> keras.Sequential([keras.Input((2,)), dense]).save(old)
        >>> keras_act.compat.tfa.migrate(old, os.path.join(folder, "new.keras"), gelu_approximate=True)
        [("layer 'd' activation", 'gelu', 'keras_act>gelu_tanh_custom')]
    """
    return _keras2.migrate(src, dst, _RENAMES, gelu_approximate, dict(load_kwargs))
