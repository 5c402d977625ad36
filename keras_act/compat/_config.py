"""Checking a Keras model config before Keras builds anything from it.

`check_model(config, path)` walks a model config (Keras 2 `.h5` and `.keras`,
Keras 3 `.keras`) and refuses, naming the layer, its class and the key:

- a structure Keras's loader would trip over (a class name that is not a
  string, a layer without a config or a name, a `layers` that is not a
  list, a connection to a layer the model does not have);
- a size that is not an integer in [1, `MAX_DIMENSION`] (units, filters,
  Maxout's num_units, ...) or a shape dimension beyond it: such a layer
  would allocate an absurd tensor (a Dense of 2**40 units asks for 4 TB)
  before anyone checked;
- a non-finite number anywhere in a layer's config (NaN or inf alpha,
  theta, an initializer's value), as keras_act's layers refuse them in their
  constructors, and hyperparameters keras_act reads that are not numbers.

`check_training(config, path, key)` does the same for the structure of a
Keras 2 training configuration (`.h5`'s training_config, `.keras`'s
compile_config); which losses and metrics exist is Keras's to say and is
checked where Keras is imported (`_keras2`).

Imports neither Keras nor TensorFlow.
"""

import math

from keras_act import _validation
from keras_act.compat._errors import MigrationError, short

# No published layer is this wide or this long a vocabulary (2**24 = 16.8M);
# a Dense of this many units after an input of 64 already holds 4 GiB.
MAX_DIMENSION = 2**24

# Integer sizes a layer allocates by: must be in [1, MAX_DIMENSION].
_SIZES = ("units", "filters", "num_units", "input_dim", "output_dim", "num_heads", "key_dim", "depth_multiplier")
# Shapes: lists of None or integers in [-1, MAX_DIMENSION] (Reshape's -1).
_SHAPES = ("batch_input_shape", "batch_shape", "input_shape", "target_shape")
# Integer or list-of-integer windows in [1, MAX_DIMENSION].
_WINDOWS = ("kernel_size", "strides", "pool_size", "dilation_rate")
# Keys that hold a serialized function (or a name).
_FUNCTIONS = ("activation", "recurrent_activation")
# Hyperparameters keras_act reads or converts, per class as the file names it
# (without a package prefix): each must be a finite number.
_NUMBERS = {
    "LeakyReLU": ("alpha", "negative_slope"),
    "ThresholdedReLU": ("theta",),
    "ELU": ("alpha",),
    "CELU": ("alpha",),
    "ReLU": ("negative_slope", "threshold"),
    "Threshold": ("threshold", "value"),
    "RReLU": ("lower", "upper"),
    "Softplus": ("beta", "threshold"),
}
_INTEGERS = {"Maxout": ("axis",), "Sparsemax": ("axis",)}
# Keys whose values are other layers: walked as layers, not as this layer's numbers.
_SUBLAYERS = ("layers", "layer", "forward_layer", "backward_layer", "cell", "cells")
_MODELS = ("Sequential", "Functional", "Model")
_FIX = "Correct it in the file's config, or re-save the model from its source."


# keras_act's one rule for numbers (a JSON config holds Python ints and floats).
_is_number = _validation.is_number
_is_int = _validation.is_integer


def _bare(name):
    return name.split(">", 1)[-1] if isinstance(name, str) else name


class _Layer:
    """A layer node of the config: its position, name and class for messages."""

    def __init__(self, node, position, top=False):
        self.node, self.position, self.top = node, position, top
        config = node.get("config")
        self.config = config if isinstance(config, dict) else None
        name = self.config.get("name") if self.config is not None else None
        self.name = name if isinstance(name, str) else None
        registered = node.get("registered_name")
        registered = registered if isinstance(registered, str) and registered != "function" else None
        self.class_name = registered or node.get("class_name")
        self.bare = _bare(self.class_name)

    @property
    def label(self):
        kind = "the model" if self.top else "layer"
        if self.name is not None and isinstance(self.class_name, str):
            return f"{kind} '{self.name}' ({self.class_name})"
        if self.name is not None:
            return f"{kind} '{self.name}'"
        if isinstance(self.class_name, str):
            return f"{self.position} ({self.class_name})"
        return self.position


def _refuse(path, layer, expected, key, value, fix=_FIX):
    raise MigrationError(f"{path}: {layer.label} expected `{key}` to be {expected}. Received: {key}={short(value)}. {fix}")


def check_model(config, path, where="the model config"):
    """Refuse what keras_act or Keras would trip over in a model `config`."""
    if not isinstance(config, dict):
        raise MigrationError(
            f"{path}: {where} is a JSON {type(config).__name__}, not the object that describes a Keras model. "
            f"Received: {short(config, 60)}. {_FIX}"
        )
    _check_node(config, path, "the model", top=True)


def _check_node(node, path, position, top=False):
    if not isinstance(node, dict):
        raise MigrationError(
            f"{path}: {position} is a JSON {type(node).__name__}, not a layer (an object with class_name and "
            f"config). Received: {short(node, 60)}. {_FIX}"
        )
    layer = _Layer(node, position, top)
    for key in ("class_name", "registered_name", "module"):
        value = node.get(key)
        if key == "class_name" and value is None:
            raise MigrationError(f"{path}: {layer.label} has no class_name, so nothing says what to build. {_FIX}")
        if value is not None and not isinstance(value, str):
            _refuse(path, layer, "a module name (a string)" if key == "module" else "a class name (a string)", key, value)
    if layer.config is None:
        value = node.get("config")
        if value is None:
            raise MigrationError(f"{path}: {layer.label} has no config object. Received: config=None. {_FIX}")
        _refuse(path, layer, "an object of the layer's arguments", "config", value)
    if layer.name is None and not top:
        if "name" in layer.config:
            _refuse(path, layer, "a layer name (a string)", "name", layer.config["name"])
        raise MigrationError(f"{path}: {layer.label} has no name in its config. {_FIX}")
    _check_arguments(layer, path)
    for key in ("layer", "forward_layer", "backward_layer", "cell"):
        if isinstance(layer.config.get(key), dict) and "class_name" in layer.config[key]:
            _check_node(layer.config[key], path, f"the {key} of {layer.label}")
    if "layers" in layer.config or layer.bare in _MODELS:
        _check_model_layers(layer, path)


def _check_model_layers(model, path):
    layers = model.config.get("layers")
    if not isinstance(layers, list):
        what = "has no layers list" if layers is None else f"has layers of type {type(layers).__name__}, not a list"
        raise MigrationError(f"{path}: {model.label} {what}. Received: layers={short(layers)}. {_FIX}")
    names = set()
    prefix = "" if model.top else f"{model.label}'s "
    for i, node in enumerate(layers):
        _check_node(node, path, f"{prefix}layers[{i}]")
        names.add(node["config"]["name"])
    for i, node in enumerate(layers):
        _check_inbound(_Layer(node, f"layers[{i}]"), names, path)
    for key in ("input_layers", "output_layers"):
        if key in model.config:
            for ref in _references(model.config[key]):
                if ref not in names:
                    raise MigrationError(
                        f"{path}: {model.label} lists {ref!r} in `{key}`, a layer it "
                        f"does not have. Received: {key}={short(model.config[key])}. {_FIX}"
                    )


def _references(value):
    """Layer names in input_layers / output_layers: [name, i, j] or a list of them."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and all(_is_int(v) for v in value[1:]):
        return [value[0]]
    if isinstance(value, list):
        return [name for item in value for name in _references(item)]
    if isinstance(value, dict):
        return [name for item in value.values() for name in _references(item)]
    return [value] if value is not None and not isinstance(value, (str, int)) else []


def _history(value, found):
    """Layer names a layer's inbound nodes connect from (Keras 2 and 3 formats)."""
    if isinstance(value, dict):
        history = value.get("keras_history") if isinstance(value.get("keras_history"), list) else None
        if history and isinstance(history[0], str):
            found.append(history[0])
        for item in value.values():
            _history(item, found)
    elif isinstance(value, list):
        if len(value) >= 3 and isinstance(value[0], str) and _is_int(value[1]) and _is_int(value[2]):
            found.append(value[0])  # Keras 2: [name, node_index, tensor_index, kwargs]
        else:
            for item in value:
                _history(item, found)
    return found


def _check_inbound(layer, names, path):
    inbound = layer.node.get("inbound_nodes")
    if inbound is None:
        return
    if not isinstance(inbound, list):
        _refuse(path, layer, "a list of connections", "inbound_nodes", inbound)
    for ref in _history(inbound, []):
        if ref not in names:
            raise MigrationError(
                f"{path}: {layer.label} takes its input from {ref!r}, a layer the model does not have. "
                f"Received: inbound_nodes={short(inbound)}. {_FIX}"
            )


def _check_arguments(layer, path):
    config = layer.config
    for key in _SIZES:
        if key in config and not (config[key] is None and key in ("input_dim",)):
            value = config[key]
            if not (_is_int(value) and 1 <= value <= MAX_DIMENSION):
                _refuse(path, layer, f"an integer between 1 and {MAX_DIMENSION}", key, value)
    for key in _SHAPES:
        if key in config and config[key] is not None:
            value = config[key]
            ok = isinstance(value, list) and all(v is None or (_is_int(v) and -1 <= v <= MAX_DIMENSION) for v in value)
            if not ok:
                _refuse(path, layer, f"a list of dimensions (null or integers up to {MAX_DIMENSION})", key, value)
    for key in _WINDOWS:
        if key in config and config[key] is not None:
            value = config[key]
            items = value if isinstance(value, list) else [value]
            if not all(_is_int(v) and 1 <= v <= MAX_DIMENSION for v in items) or not items:
                _refuse(path, layer, f"an integer or a list of integers between 1 and {MAX_DIMENSION}", key, value)
    for key in _FUNCTIONS:
        if key in config:
            value = config[key]
            ok = value is None or isinstance(value, str) or (isinstance(value, dict) and isinstance(value.get("class_name"), str))
            if not ok:
                _refuse(path, layer, "the name of an activation or a serialized one", key, value)
    for key in _NUMBERS.get(layer.bare, ()):
        if key in config and not (_is_number(config[key]) and math.isfinite(config[key])):
            _refuse(path, layer, "a finite number", key, config[key])
    for key in _INTEGERS.get(layer.bare, ()):
        if key in config and not _is_int(config[key]):
            _refuse(path, layer, "an integer", key, config[key])
    key, value = _non_finite(config)
    if key is not None:
        _refuse(path, layer, "a finite number", key, value, "keras_act's layers refuse NaN and inf too. " + _FIX)


def _non_finite(value, key="", depth=0):
    """(dotted key, value) of the first NaN or infinite number in a layer's
    own arguments (other layers and connections are not its arguments)."""
    if isinstance(value, float) and not math.isfinite(value):
        return key, value
    if isinstance(value, dict):
        items = [(f"{key}.{k}" if key else k, v) for k, v in value.items() if not (depth == 0 and k in (*_SUBLAYERS, "inbound_nodes"))]
    elif isinstance(value, list):
        items = [(f"{key}[{i}]", v) for i, v in enumerate(value)]
    else:
        return None, None
    for k, v in items:
        found = _non_finite(v, k, depth + 1)
        if found[0] is not None:
            return found
    return None, None


# --------------------------------------------------------------------------
# Training configuration


def check_training(config, path, key):
    """The structure of a Keras 2 training config (`key`: training_config or compile_config)."""
    if config is None:
        return
    if not isinstance(config, dict):
        raise MigrationError(
            f"{path}: the {key} is a JSON {type(config).__name__}, not the object Keras writes there (loss, "
            f"metrics, optimizer). Received: {key}={short(config, 60)}. Pass compile=False to load the model "
            "without it."
        )
    for name in ("loss", "metrics", "weighted_metrics"):
        _check_compile_value(config.get(name), path, key, name)
    weights = config.get("loss_weights")
    values = weights if isinstance(weights, list) else list(weights.values()) if isinstance(weights, dict) else [weights]
    if weights is not None and not all(_is_number(v) and math.isfinite(v) for v in values):
        raise MigrationError(
            f"{path}: the {key}'s `loss_weights` must be finite numbers (a list, or one per output). Received: "
            f"loss_weights={short(weights)}. Pass compile=False to load the model without it."
        )
    optimizer = config.get("optimizer_config" if key == "training_config" else "optimizer")
    if optimizer is not None:
        ok = isinstance(optimizer, str) or (isinstance(optimizer, dict) and isinstance(optimizer.get("class_name"), str) and isinstance(optimizer.get("config", {}), dict))
        if not ok:
            raise MigrationError(
                f"{path}: the {key}'s optimizer is not an optimizer's config (class_name and config). Received: "
                f"optimizer={short(optimizer)}. Pass compile=False to load the model without it."
            )
        if isinstance(optimizer, dict):
            name, value = _non_finite(optimizer.get("config", {}))
            if name is not None:
                raise MigrationError(
                    f"{path}: the {key}'s optimizer {optimizer['class_name']!r} expected `{name}` to be a finite "
                    f"number. Received: {name}={value!r}. Pass compile=False to load the model without it."
                )


def _check_compile_value(value, path, key, name):
    if value is None or isinstance(value, str):
        return
    if isinstance(value, dict) and "class_name" in value:
        if not isinstance(value["class_name"], str):
            raise MigrationError(
                f"{path}: the {key}'s `{name}` names its class with {short(value['class_name'])}, not a string. "
                "Pass compile=False to load the model without it."
            )
        return
    if isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            _check_compile_value(item, path, key, name)
        return
    raise MigrationError(
        f"{path}: the {key}'s `{name}` must be a name, a serialized object, or a list or dict of them. "
        f"Received: {name}={short(value)}. Pass compile=False to load the model without it."
    )
