"""swap_activations: the same model, with other activations.

`swap_activations(model, {"swish": "hard_swish_custom"})` returns a new
model in which every place that applies a mapped activation applies the new
one instead, with every other weight copied over exactly; `model` itself is
not touched.

How it works, and why:

- The new model is rebuilt from `model`'s config (as `keras.models.clone_model`
  does), with the activations rewritten in that config: the `activation=`
  of Dense, Conv, RNN cells and the like, any other config entry named
  `*_activation` (`recurrent_activation`, keras-hub's `hidden_activation`,
  `intermediate_activation`, ...) and standalone activation layers
  (`Activation`, `keras.layers.ReLU`, keras_act's layers). Rewriting the
  config, rather than patching the built layers, is what makes the swap
  survive `model.save` and `keras.saving.load_model`: the saved file says
  the new activation.
- A functional model whose class fixes its activations in its own
  constructor (keras-hub's `BertBackbone`, `MistralBackbone`: their config
  lists constructor arguments, not layers) is rebuilt as a plain functional
  `keras.Model` over the same layers, whose configs do carry the
  activation; the report says so (`rebuilt_as`).
- Weights are copied layer by layer, matched by position in the layer tree
  (not by name: auto-generated names differ between two builds).
  A layer that replaces an activation (a standalone activation layer, or a
  layer given as `activation=`) starts with fresh weights from its own
  initializers: a `PReLU` put where a `ReLU` was has slopes 0.25 (keras_act)
  or 0 (Keras), not anything learned.
- What a config cannot say is reported, never skipped in silence: an
  activation set in code (an inner layer that a subclassed layer creates
  with a fixed activation), an activation written inside a subclassed
  layer's `call` (`keras.ops.relu(x)`), a `Lambda`. With `strict=True` this
  raises a `ValueError` listing every such place by its layer path; with
  `strict=False` the `SwapReport` lists them beside what was swapped.
"""

import dataclasses
import functools
import importlib
import types
from typing import Any, Callable, List, Mapping, Optional, Tuple

import keras
import numpy as np

from keras_act import _keras_internals, _suggest
from keras_act import layers as _layers
from keras_act._record import ALIASES, RECORDS
from keras_act.inspection import text_table

LAYER = "(layer)"  # the "where" of a standalone activation layer
# Methods that run when a layer is made or saved, not when it computes: an
# activation they name reaches the layer through its config (rewritten) or
# an inner layer (found by the walk), so they are not scanned for code.
_CONFIG_TIME = frozenset(
    {"__init__", "__new__", "build", "get_config", "from_config", "build_from_config", "get_build_config",
     "compute_output_shape", "compute_output_spec", "__repr__", "__str__"}
)


# ----------------------------------------------------------------- report


@dataclasses.dataclass(frozen=True)
class SwapPlace:
    """One place of a model that applies an activation.

    Attributes:
        path: the layer's path in the model, names joined by `/`
            (`"transformer_layer_0/feedforward_intermediate_dense"`).
        where: the attribute (`"activation"`, `"hidden_activation"`), or
            `"(layer)"` for a standalone activation layer.
        old: the activation it applied.
        new: the activation it applies now (`""` if it was not swapped).
        reason: why it was not swapped (`""` if it was).
        key: the mapping key it matched, as written in the mapping.
    """

    path: str
    where: str
    old: str
    new: str = ""
    reason: str = ""
    key: str = ""


@dataclasses.dataclass(frozen=True)
class SwapReport:
    """What `swap_activations(..., strict=False)` did.

    Attributes:
        model: the new model.
        swapped: the places now applying the new activation.
        unreached: the places that still apply a mapped activation, each
            with its reason (set in code, a `Lambda`, a subclassed `call`).
        fresh_weights: paths of the layers whose weights were built fresh
            (swapped-in layers with weights, such as `PReLU`).
        unmatched: mapping keys that matched nothing in the model.
        uses: every activation the model applies (before the swap), to
            choose keys from.
        rebuilt_as: `None`, or why the new model is a plain functional
            `keras.Model` rather than the original class.
        notes: anything else worth knowing (compilation).
    """

    model: Any
    swapped: Tuple[SwapPlace, ...]
    unreached: Tuple[SwapPlace, ...]
    fresh_weights: Tuple[str, ...]
    unmatched: Tuple[str, ...]
    uses: Tuple[str, ...]
    rebuilt_as: Optional[str] = None
    notes: Tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every place applying a mapped activation was swapped."""
        return not self.unreached

    def table(self) -> str:
        """The swapped places as a plain-text table."""
        if not self.swapped:
            return "nothing swapped"
        rows = [(p.path, p.where, p.old, p.new) for p in self.swapped]
        return text_table(("layer", "where", "old", "new"), rows)

    def __str__(self) -> str:
        lines = [self.table()]
        if self.unreached:
            lines += ["", "not swapped (an activation the config cannot change):"]
            rows = [(p.path, p.where, p.old, p.reason) for p in self.unreached]
            lines.append(text_table(("layer", "where", "activation", "why"), rows))
        if self.fresh_weights:
            lines.append(f"fresh weights (built by their initializers): {', '.join(self.fresh_weights)}")
        if self.unmatched:
            lines.append(
                f"matched nothing: {', '.join(self.unmatched)} (the model uses: {', '.join(self.uses) or 'none'})"
            )
        if self.rebuilt_as:
            lines.append(f"rebuilt as: {self.rebuilt_as}")
        lines += list(self.notes)
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return "```\n" + str(self) + "\n```"


# ---------------------------------------------------------------- mapping


@dataclasses.dataclass(frozen=True)
class _Key:
    label: str
    functions: Tuple[Callable, ...] = ()
    layer_class: Optional[type] = None
    strings: frozenset = frozenset()  # config strings it matches as written
    tokens: frozenset = frozenset()  # names looked for in code (Lambda, call)


@dataclasses.dataclass(frozen=True)
class _Value:
    label: str
    function: Optional[Callable] = None
    string: Optional[str] = None  # the id, when it has one (written as is into string entries)
    layer: Optional[keras.layers.Layer] = None  # a template: every place gets its own copy


def _keras_builtins():
    """Keras's own string ids (the table also holds keras_act's)."""
    return sorted(
        name for name in _keras_internals.builtin_names() if not (name in RECORDS or name in ALIASES)
    )


def _layer_class_from_string(text):
    """`"keras.layers.ReLU"`, `"keras_act.layers.PReLU"` -> the class, else None."""
    for prefix, module in (("keras.layers.", keras.layers), ("keras_act.layers.", _layers)):
        if text.startswith(prefix):
            cls = getattr(module, text[len(prefix):], None)
            if isinstance(cls, type) and issubclass(cls, keras.layers.Layer):
                return cls
    return None


def _resolve(identifier, role):
    """An identifier of the mapping -> a function, a layer class or a layer."""
    name = f"mapping {role}"
    if isinstance(identifier, str):
        canonical = ALIASES.get(identifier, identifier)
        if canonical in RECORDS:
            return RECORDS[canonical].fn
        if identifier in _keras_builtins():
            return keras.activations.get(identifier)
        cls = _layer_class_from_string(identifier)
        if cls is not None:
            return cls
        if ">" in identifier:
            obj = keras.saving.get_registered_object(identifier)
            if obj is not None:
                return obj
        known = [*RECORDS, *ALIASES, *_keras_builtins()]
        raise ValueError(
            f"Expected a {name} to be a Keras activation name, a keras_act id, a registered name "
            f"('package>name') or a layer class ('keras.layers.ReLU', 'keras_act.layers.PReLU'). "
            f"Received: {role}={identifier!r}.{_suggest.did_you_mean(identifier, known)}"
        )
    if isinstance(identifier, type):
        if issubclass(identifier, keras.layers.Layer):
            return identifier
    elif isinstance(identifier, keras.layers.Layer) or callable(identifier):
        return identifier
    raise ValueError(
        f"Expected a {name} to be a string, an activation function or a Keras layer class"
        f"{' or instance' if role == 'value' else ''}. Received: {role}={identifier!r}."
    )


def _ops_twin(fn):
    """`keras.ops.<name>` when it computes the same as `keras.activations.<name>`
    (keras.ops.silu for silu; not keras.ops.gelu, tanh-approximate by default)."""
    name = getattr(fn, "__name__", None)
    op = getattr(keras.ops, name, None) if name else None
    if op is None or op is fn or getattr(keras.activations, name, None) is not fn:
        return None
    x = np.linspace(-6.0, 6.0, 49, dtype="float32").reshape(7, 7)
    try:
        a = keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(x)))
        b = keras.ops.convert_to_numpy(op(keras.ops.convert_to_tensor(x)))
    except Exception:  # noqa: BLE001 - an op that needs other arguments is no twin
        return None
    return op if a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-6) else None


def _key(identifier):
    obj = _resolve(identifier, "key")
    label = identifier if isinstance(identifier, str) else _label(obj)
    if isinstance(obj, type):
        return _Key(label=label, layer_class=obj, strings=frozenset({label}), tokens=frozenset({obj.__name__}))
    if isinstance(obj, keras.layers.Layer):
        raise ValueError(
            "Expected a mapping key to name what to replace: an activation or a layer class, not a layer "
            f"instance. Received: key={identifier!r}. Use its class, e.g. {type(obj).__name__}."
        )
    functions = [obj]
    twin = _ops_twin(obj)
    if twin is not None:
        functions.append(twin)
    strings = {label, _label(obj)}
    tokens = {getattr(f, "__name__", "") for f in functions} | {s.split(">")[-1] for s in strings}
    return _Key(label=label, functions=tuple(functions), strings=frozenset(strings), tokens=frozenset(tokens - {""}))


def _value(identifier):
    obj = _resolve(identifier, "value")
    if isinstance(obj, type):
        try:
            obj = obj()
        except TypeError as e:
            raise ValueError(
                f"Expected a layer class given as a mapping value to build with its defaults. "
                f"Received: value={identifier!r} ({e}). Pass an instance instead."
            ) from None
    if isinstance(obj, keras.layers.Layer):
        return _Value(label=_label(obj), layer=obj)
    string = identifier if isinstance(identifier, str) else None
    return _Value(label=_label(obj), function=obj, string=string)


def _parse_mapping(mapping):
    if not isinstance(mapping, Mapping) or not mapping:
        raise ValueError(
            "Expected `mapping` to be a non-empty dict from what to replace to what replaces it, e.g. "
            f'{{"swish": "hard_swish_custom"}}. Received: mapping={mapping!r}.'
        )
    return [(_key(k), _value(v)) for k, v in mapping.items()]


# ----------------------------------------------------------------- labels


def _label(obj):
    """How an activation or layer is named in the report."""
    if isinstance(obj, type):
        return _class_label(obj)
    if isinstance(obj, keras.layers.Layer):
        return _layer_label(obj)
    name = getattr(obj, "__name__", None)
    if name and getattr(keras.activations, name, None) is obj:
        return name
    for rec in RECORDS.values():
        if rec.fn is obj:
            return rec.name
    registered = keras.saving.get_registered_name(obj)
    if registered and ">" in registered:
        return registered
    module = getattr(obj, "__module__", None) or ""
    if name and module.startswith("keras.src.ops") and getattr(keras.ops, name, None) is obj:
        return f"keras.ops.{name}"
    return f"{module}.{getattr(obj, '__qualname__', name or type(obj).__name__)}".lstrip(".")


def _class_label(cls):
    module = cls.__module__ or ""
    if module.startswith("keras.src.") and getattr(keras.layers, cls.__name__, None) is cls:
        return f"keras.layers.{cls.__name__}"
    if module.startswith("keras_act.layers"):
        return f"keras_act.layers.{cls.__name__}"
    return cls.__name__


_IDENTITY_KEYS = ("name", "trainable", "dtype")


def _layer_label(layer):
    """`keras.layers.ReLU(max_value=6.0)`: the class, and the arguments that
    differ from its defaults."""
    label = _class_label(type(layer))
    try:
        config = layer.get_config()
        default = type(layer)().get_config()
    except Exception:  # noqa: BLE001 - a layer with required arguments
        return label
    changed = [
        f"{k}={_short(v)}" for k, v in config.items() if k not in _IDENTITY_KEYS and default.get(k, object()) != v
    ]
    return f"{label}({', '.join(changed)})" if changed else label


def _short(value):
    if isinstance(value, dict) and "class_name" in value:
        inner = value.get("config")
        return inner if isinstance(inner, str) else value["class_name"]
    return repr(value)


# ------------------------------------------------------------ layer tree


def _children(layer):
    # Keras 3 has no public way to list a layer's direct sublayers;
    # `_flatten_layers` is what Keras's own saving and summaries use.
    return list(layer._flatten_layers(include_self=False, recursive=False))


def _is_activation_attribute(name):
    bare = name.lstrip("_")
    return bare == "activation" or bare.endswith("_activation")


def _activation_attributes(layer):
    """`{attribute: value}` of the activations a layer stores itself
    (Dense's `activation`, an LSTM cell's `recurrent_activation`)."""
    found = {}
    # On the torch backend a layer is a torch.nn.Module, which keeps the
    # layers set as attributes in `_modules`, not in the instance dict.
    names = [*vars(layer), *(getattr(layer, "_modules", None) or {})]
    for name in dict.fromkeys(names):
        if not _is_activation_attribute(name):
            continue
        value = getattr(layer, name, None)
        if callable(value) and not isinstance(value, type):
            found[name] = value
    return found


def _own_weights(layer, children):
    inner = {id(w) for child in children for w in child.weights}
    return [w for w in layer.weights if id(w) not in inner]


def _key_for_function(fn, keys):
    for key, value in keys:
        if key.functions and any(fn is f for f in key.functions):
            return key, value
        if key.layer_class is not None and isinstance(fn, key.layer_class):
            return key, value
    return None


def _key_for_layer(layer, keys):
    for key, value in keys:
        if key.layer_class is not None and isinstance(layer, key.layer_class):
            return key, value
    return None


def _is_target(current, value):
    if value.layer is not None:
        return isinstance(current, keras.layers.Layer) and type(current) is type(value.layer)
    return current is value.function


def _same_as_key(value, key):
    """A swap onto itself ("relu" -> "relu"): nothing to do, nothing unreached."""
    if value.function is not None:
        return any(value.function is f for f in key.functions)
    return key.layer_class is not None and type(value.layer) is key.layer_class


# ------------------------------------------------------------- the walk


@dataclasses.dataclass
class _Pair:
    path: str
    old: keras.layers.Layer
    new: Optional[keras.layers.Layer]
    fresh: bool = False  # a layer put in by the swap: no weights to copy


def _pair(old, new, path, keys, pairs, fresh):
    """Match `old`'s layer tree with `new`'s, recording the pairs."""
    pairs.append(_Pair(path, old, new))
    old_attrs = {n: v for n, v in _activation_attributes(old).items() if isinstance(v, keras.layers.Layer)}
    new_attrs = {n: v for n, v in _activation_attributes(new).items() if isinstance(v, keras.layers.Layer)}
    held_old = {id(v) for v in old_attrs.values()}
    held_new = {id(v) for v in new_attrs.values()}
    old_kids = [c for c in _children(old) if id(c) not in held_old]
    new_kids = [c for c in _children(new) if id(c) not in held_new]
    if len(old_kids) != len(new_kids):
        raise ValueError(
            f"swap_activations could not match the layers of {path or 'the model'}: the rebuilt "
            f"{type(new).__name__} has {len(new_kids)} sublayers where the original has {len(old_kids)}. "
            f"Received: model layer {path or old.name!r}. This is a bug in keras_act or a layer whose "
            "from_config builds something else than the original; please report it."
        )
    for o, n in zip(old_kids, new_kids):
        child_path = f"{path}/{o.name}" if path else o.name
        if type(o) is not type(n) or _key_for_layer(o, keys) is not None:
            if _key_for_layer(o, keys) is None:
                raise ValueError(
                    f"swap_activations could not match the layers of the rebuilt model: at {child_path} a "
                    f"{type(n).__name__} stands where the original has a {type(o).__name__}. "
                    f"Received: layer={child_path!r}. Please report this."
                )
            pairs.append(_Pair(child_path, o, n, fresh=True))
            fresh.append(child_path)
            continue
        _pair(o, n, child_path, keys, pairs, fresh)
    for attr, n in new_attrs.items():
        child_path = f"{path}/{attr}" if path else attr
        o = old_attrs.get(attr)
        if o is not None and type(o) is type(n) and _key_for_function(o, keys) is None:
            _pair(o, n, child_path, keys, pairs, fresh)
        else:
            pairs.append(_Pair(child_path, o, n, fresh=True))
            fresh.append(child_path)


def _copy_weights(pairs):
    for pair in pairs:
        if pair.fresh or pair.old is None:
            continue
        if isinstance(pair.old, keras.layers.Lambda):
            # Keras rebuilds a lambda from its bytecode without the globals
            # it reads (`keras` itself); the original function is the same code.
            pair.new.function = pair.old.function
        old_own = _own_weights(pair.old, _children(pair.old))
        new_own = _own_weights(pair.new, _children(pair.new))
        if not old_own and not pair.old.built:
            continue  # a layer given as activation= that Keras never built: nothing learned to copy
        if len(old_own) != len(new_own):
            raise ValueError(
                f"swap_activations could not copy the weights of {pair.path or 'the model'}: the rebuilt "
                f"layer has {len(new_own)} weights where the original has {len(old_own)} (was the original "
                f"built?). Received: layer={pair.path!r}. Call the model once before swapping."
            )
        for o, n in zip(old_own, new_own):
            if tuple(o.shape) != tuple(n.shape):
                raise ValueError(
                    f"swap_activations could not copy weight {o.path}: shape {tuple(n.shape)} in the rebuilt "
                    f"model, {tuple(o.shape)} in the original. Received: layer={pair.path!r}."
                )
            n.assign(o.value)


def _build_activation_layers(model):
    """Build the layers given as `activation=` (a PReLU inside a Dense):
    Keras builds them only at the first eager call, and an unbuilt layer
    has no weights to save."""
    for layer in model._flatten_layers(include_self=True, recursive=True):
        for value in _activation_attributes(layer).values():
            if not isinstance(value, keras.layers.Layer) or value.built:
                continue
            build_config = layer.get_build_config() or {}
            shape = build_config.get("input_shape")
            if shape is None:
                continue  # builds at its first call
            value.build(layer.compute_output_shape(shape))


# ------------------------------------------------------- config rewrite


def _class_of(node):
    """The class a serialized object names, or None."""
    registered = node.get("registered_name")
    if isinstance(registered, str) and registered:
        obj = keras.saving.get_registered_object(registered)
        if isinstance(obj, type):
            return obj
    module, name = node.get("module"), node.get("class_name")
    if not isinstance(module, str) or not isinstance(name, str):
        return None
    for candidate in (module, f"{module}.{name.lower()}"):
        try:
            obj = getattr(importlib.import_module(candidate), name, None)
        except ImportError:
            continue
        if isinstance(obj, type):
            return obj
    return None


def _is_layer_node(node):
    if not (isinstance(node, dict) and "class_name" in node and isinstance(node.get("config"), dict)):
        return False
    cls = _class_of(node)
    return isinstance(cls, type) and issubclass(cls, keras.layers.Layer)


def _match_entry(entry, keys):
    """The (key, value) an activation entry of a config matches, or None."""
    if isinstance(entry, str):
        for key, value in keys:
            if entry in key.strings:
                return key, value
        try:
            fn = keras.activations.get(entry)
        except ValueError:
            return None
        return _key_for_function(fn, keys)
    if isinstance(entry, dict):
        if _is_layer_node(entry):
            cls = _class_of(entry)
            for key, value in keys:
                if key.layer_class is not None and issubclass(cls, key.layer_class):
                    return key, value
            return None
        try:
            fn = keras.activations.get(entry)
        except Exception:  # noqa: BLE001 - not an activation we can resolve
            return None
        return _key_for_function(fn, keys)
    return None


def _serialized_value(value, entry, name=None, dtype=None):
    """What a config entry holding `entry` becomes. A layer takes the dtype
    policy of the place it goes to (mixed_float16 stays mixed_float16)."""
    if value.layer is not None:
        node = keras.saving.serialize_keras_object(value.layer)
        if name is not None:
            node["config"]["name"] = name
        if dtype is not None:
            node["config"]["dtype"] = dtype
        return node
    if isinstance(entry, str) and value.string is not None:
        return value.string  # a string entry stays a string (keras-hub compares some as strings)
    return keras.activations.serialize(value.function)


def _standalone_replacement(node, value):
    """A standalone activation layer's config, replaced by the layer that
    applies `value`, keeping its name and its place in the graph."""
    name, dtype = node["config"].get("name"), node["config"].get("dtype")
    if value.layer is not None:
        replacement = _serialized_value(value, None, name=name, dtype=dtype)
    else:
        replacement = keras.saving.serialize_keras_object(keras.layers.Activation(value.function, name=name))
        if dtype is not None:
            replacement["config"]["dtype"] = dtype
    kept = {k: v for k, v in node.items() if k not in ("module", "class_name", "config", "registered_name")}
    return {**replacement, **kept}


def _rewrite(node, keys):
    """A copy of a config tree with the mapped activations replaced."""
    if isinstance(node, list):
        return [_rewrite(item, keys) for item in node]
    if not isinstance(node, dict):
        return node
    if _is_layer_node(node):
        cls = _class_of(node)
        for key, value in keys:
            if key.layer_class is not None and issubclass(cls, key.layer_class) and not _same_as_key(value, key):
                return _standalone_replacement(node, value)
    out = {}
    for name, entry in node.items():
        if _is_activation_attribute(name) and isinstance(entry, (str, dict, list)):
            out[name] = _rewrite_entry(entry, keys, node.get("dtype"))
        else:
            out[name] = _rewrite(entry, keys)
    return out


def _rewrite_entry(entry, keys, dtype):
    if isinstance(entry, list):  # keras-hub's MobileNet: one activation per block and layer
        return [_rewrite_entry(item, keys, dtype) for item in entry]
    match = _match_entry(entry, keys)
    if match is None or _same_as_key(match[1], match[0]):
        return _rewrite(entry, keys) if isinstance(entry, dict) else entry
    return _serialized_value(match[1], entry, dtype=dtype)


# ------------------------------------------------------------ code scan


def _code_names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, str):
            names.add(const)
        elif isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _function_code(fn):
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    return code if isinstance(code, types.CodeType) else None


def _code_hits(layer, keys):
    """`[(key, what)]`: mapped activations named in code that a config
    cannot change (a Lambda's function, a subclassed layer's methods)."""
    found = []
    if isinstance(layer, keras.layers.Lambda):
        fn = layer.function
        match = _key_for_function(fn, keys)
        if match is not None and not _same_as_key(match[1], match[0]):
            return [(match[0], "a Lambda layer's function")]
        code = _function_code(fn)
        names = _code_names(code) if code is not None else set()
        for key, value in keys:
            if names & key.tokens and not _same_as_key(value, key):
                found.append((key, f"a Lambda layer's function refers to {sorted(names & key.tokens)[0]}"))
        return found
    for cls in type(layer).__mro__:
        module = cls.__module__ or ""
        # Only the user's (or keras-hub's) layer classes: not Keras's, keras_act's, nor the
        # backend's base classes (torch.nn.Module, TensorFlow's AutoTrackable).
        if not issubclass(cls, keras.layers.Layer) or module == "keras" or module.startswith(("keras.", "keras_act.")):
            continue
        for name, attr in vars(cls).items():
            if name in _CONFIG_TIME:
                continue
            code = _function_code(attr)
            if code is None:
                continue
            names = _code_names(code)
            for key, value in keys:
                hit = names & key.tokens
                if hit and not _same_as_key(value, key):
                    found.append((key, f"{cls.__name__}.{name} refers to {sorted(hit)[0]} in code"))
    return found


# ------------------------------------------------------------- the swap


def _serialize(model):
    try:
        return keras.saving.serialize_keras_object(model)
    except Exception as e:  # noqa: BLE001 - any layer's get_config may fail
        raise ValueError(
            "swap_activations rebuilds the model from its config, and the model could not be serialized. "
            f"Received: model={model.name!r} ({type(model).__name__}): {type(e).__name__}: {e}. Give every "
            "custom layer a get_config that returns its __init__ arguments."
        ) from e


def _custom_objects(model):
    """The model's own unregistered classes, by name: such a custom layer
    rebuilds in this process as `keras.models.clone_model` would rebuild it.
    (Only those: a name such as "Add" also names a Keras op in configs.)"""
    found = {}
    for layer in model._flatten_layers(include_self=True, recursive=True):
        cls = type(layer)
        if (cls.__module__ or "").startswith("keras."):
            continue
        if keras.saving.get_registered_object(keras.saving.get_registered_name(cls)) is not cls:
            found[cls.__name__] = cls
    return found


def _deserialize(config, model):
    # Our own config of an object already in memory: a Lambda's code in it
    # is the user's own, so it is rebuilt as clone_model would rebuild it.
    has_lambda = any(
        isinstance(layer, keras.layers.Lambda) for layer in model._flatten_layers(include_self=True, recursive=True)
    )
    try:
        return keras.saving.deserialize_keras_object(
            config, custom_objects=_custom_objects(model), safe_mode=not has_lambda
        )
    except Exception as e:  # noqa: BLE001 - any layer's from_config may fail
        raise ValueError(
            "swap_activations rebuilds the model from its config, and rebuilding it failed. "
            f"Received: model={model.name!r} ({type(model).__name__}): {type(e).__name__}: {e}. Check that "
            "every custom layer's from_config accepts what its get_config returns."
        ) from e


def _places(model, keys):
    """`[(path, layer, where, activation, (key, value))]` of every place of
    `model` that applies a mapped activation, and `uses`, every activation
    it applies."""
    found, uses = [], {}

    def visit(layer, path):
        for attr, fn in _activation_attributes(layer).items():
            label = _label(fn)
            if label not in ("linear", "linear_custom"):
                uses[label] = None
            match = _key_for_function(fn, keys)
            if match is not None:
                found.append((path, layer, attr, fn, match))
        standalone = hasattr(layer, "activation_id") or (type(layer).__module__ or "").startswith(
            "keras.src.layers.activations"
        )
        if path and standalone and not isinstance(layer, keras.layers.Activation):
            uses[_layer_label(layer)] = None
        match = _key_for_layer(layer, keys)
        if match is not None and path:
            found.append((path, layer, LAYER, layer, match))
        held = {id(v) for v in _activation_attributes(layer).values()}
        for child in _children(layer):
            if id(child) not in held:
                visit(child, f"{path}/{child.name}" if path else child.name)

    visit(model, "")
    return found, tuple(uses)


def _outcome(model, pairs, keys):
    """The swapped and unreached places, from the paired layer trees."""
    by_old = {id(p.old): p for p in pairs if p.old is not None}
    old_places, uses = _places(model, keys)
    swapped, unreached = [], []
    for path, layer, where, current, (key, value) in old_places:
        if _same_as_key(value, key):
            continue
        shown = path or model.name
        old_label = _layer_label(current) if where == LAYER else _label(current)
        pair = by_old.get(id(layer))
        if where == LAYER:
            new_layer = pair.new if pair is not None and pair.fresh else None
            if new_layer is not None and value.layer is not None and _is_target(new_layer, value):
                swapped.append(SwapPlace(shown, LAYER, old_label, _layer_label(new_layer), key=key.label))
            elif (
                new_layer is not None
                and value.function is not None
                and isinstance(new_layer, keras.layers.Activation)
                and new_layer.activation is value.function
            ):
                swapped.append(SwapPlace(shown, LAYER, old_label, f"Activation({value.label})", key=key.label))
            else:
                unreached.append(SwapPlace(shown, LAYER, old_label, reason=_SET_IN_CODE, key=key.label))
            continue
        now = getattr(pair.new, where, None) if pair is not None and pair.new is not None else None
        if now is not None and _is_target(now, value):
            swapped.append(SwapPlace(shown, where, old_label, _label(now), key=key.label))
        else:
            unreached.append(SwapPlace(shown, where, old_label, reason=_SET_IN_CODE, key=key.label))
    for layer, path in _all_layers(model):
        for key, what in _code_hits(layer, keys):
            unreached.append(SwapPlace(path or model.name, "(code)", key.label, reason=what, key=key.label))
    return swapped, unreached, uses


def _all_layers(model):
    out = []

    def visit(layer, path):
        out.append((layer, path))
        for child in _children(layer):
            visit(child, f"{path}/{child.name}" if path else child.name)

    visit(model, "")
    return out


_SET_IN_CODE = "set in code: no config that swap_activations can rewrite holds it"


@dataclasses.dataclass
class _Attempt:
    model: Any
    swapped: List[SwapPlace]
    unreached: List[SwapPlace]
    uses: Tuple[str, ...]
    fresh: List[str]


def _attempt(source, keys, config=None):
    """Rebuild `source` (the model, or a functional view of it) with the
    activations rewritten; copy the weights; say what was reached."""
    config = _rewrite(_serialize(source), keys) if config is None else config
    new = _deserialize(config, source)
    pairs, fresh = [], []
    _pair(source, new, "", keys, pairs, fresh)
    _build_activation_layers(new)
    _copy_weights(pairs)
    swapped, unreached, uses = _outcome(source, pairs, keys)
    return _Attempt(new, swapped, unreached, uses, fresh)


@functools.lru_cache(maxsize=None)
def _functional_class():
    """Keras's functional model class (not public API: found by making one)."""
    inputs = keras.Input((1,))
    return type(keras.Model(inputs, inputs))


def _functional_view(model):
    """A plain functional `keras.Model` over the layers of `model`, a functional
    model whose class writes its own config (keras-hub's backbones), or None."""
    functional = _functional_class()
    if not isinstance(model, functional) or isinstance(model, keras.Sequential):
        return None
    if type(model).get_config is functional.get_config:
        return None  # its config lists its layers already
    try:
        return keras.Model(model.input, model.output, name=model.name)
    except Exception:  # noqa: BLE001 - a graph Keras cannot rebuild from outside
        return None


def swap_activations(
    model: keras.Model, mapping: Mapping[Any, Any], *, strict: bool = True
) -> "keras.Model | SwapReport":
    """A copy of a model in which some activations are replaced by others.

    Use it to change the activations of a built or pretrained model without
    rebuilding it by hand: swish to hard-swish in an EfficientNet or a
    MobileNet for LiteRT, exact GELU to its tanh form in a transformer,
    ReLU to keras_act's PReLU before fine-tuning. The result has the same
    layers and the same weights (copied exactly); the original model is not
    touched. It is rebuilt from the model's config with the activations
    rewritten there, so it saves as `.keras` and reloads (with `import
    keras_act`) with the new activations.

    Keys and values of `mapping`:
    - keys name what to replace: a Keras activation name (`"relu"`,
      `"swish"`, `"gelu"`; `keras.ops.silu` counts as `"silu"`), a keras_act
      id, a registered name (`"keras_hub>gelu_approximate"`), a function, or
      a layer class (`keras.layers.ReLU`, `keras_act.layers.PReLU`, or its
      name as a string, `"keras.layers.ReLU"`): a class matches every layer
      of that class, standalone or given as `activation=`, whatever its
      arguments.
    - values say what replaces it: an id or name as above, a function, a
      layer class (built with its defaults) or a layer instance. A layer
      is copied from its config for every place it goes (no weights are
      shared), and a layer with weights (PReLU) starts from its
      initializers, not from anything learned. A function that replaces a
      standalone layer becomes `keras.layers.Activation(fn)` under the old
      layer's name.

    Places: the `activation=` of any layer (Dense, Conv, RNN cells), any
    other config entry named `*_activation` (`recurrent_activation`,
    keras-hub's `hidden_activation`), and standalone activation layers. An
    activation a config cannot change (set in a subclassed layer's code,
    written in its `call`, inside a `Lambda`) is reported by layer path.
    A functional model whose class fixes its activations in its own
    constructor (keras-hub's BERT) comes back as a plain functional
    `keras.Model` over the same layers. The new model is compiled like the
    old one, with a fresh optimizer, if the old one was compiled.

    Args:
        model: a built Keras model (Sequential, functional, nested or
            subclassed with get_config; keras-hub backbones).
        mapping: `{what to replace: what replaces it}`.
        strict: if `True`, raise a `ValueError` listing every place the
            swap could not reach and return the new model; if `False`,
            return a `SwapReport` with the new model, what was swapped and
            what was not. Defaults to `True`.

    Returns:
        The new model (`strict=True`), or a `SwapReport` whose `.model` is
        the new model (`strict=False`); `print(report)` shows the table.

    Raises:
        ValueError: for an unknown key or value, a model that cannot be
            rebuilt from its config, or (`strict=True`) any place that
            still applies a mapped activation after the swap.

    Example:
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="relu", name="dense")])
        >>> swapped = keras_act.swap_activations(model, {"relu": "elu_custom"})
        >>> swapped.layers[0].activation is keras_act.get("elu_custom")
        True
        >>> report = keras_act.swap_activations(model, {"relu": "elu_custom"}, strict=False)
        >>> print(report.table())
        layer  where       old   new
        -----  ----------  ----  ----------
        dense  activation  relu  elu_custom
    """
    if not isinstance(model, keras.layers.Layer):
        raise ValueError(f"Expected a Keras model. Received: model={model!r}.")
    if not isinstance(strict, bool):
        raise ValueError(f"Expected `strict` to be True or False. Received: strict={strict!r}.")
    keys = _parse_mapping(mapping)
    original = _serialize(model)
    config = _rewrite(original, keys)
    view = _functional_view(model)
    # A config with nothing to rewrite (keras-hub's BERT lists only its
    # constructor's arguments) goes straight to the functional view.
    if view is not None and config == original:
        order = [(view, None), (model, config)]
    else:
        order = [(model, config), (view, None)]
    best, from_view, notes = None, False, []
    for source, source_config in order:
        if source is None:
            continue
        try:
            attempt = _attempt(source, keys, source_config)
        except ValueError as e:
            if source is model:
                raise
            notes.append(f"rebuilding it as a functional keras.Model over its layers failed: {e}")
            continue
        if best is None or len(attempt.unreached) < len(best.unreached):
            best, from_view = attempt, source is view
        if not best.unreached:
            break
    new, swapped, unreached, uses, fresh = best.model, best.swapped, best.unreached, best.uses, best.fresh
    rebuilt_as = None
    if from_view:
        rebuilt_as = (
            f"a functional keras.Model over the same layers: {type(model).__name__}'s config holds its "
            "constructor's arguments, and its constructor fixes the activations"
        )
    notes += _compile_like(model, new)
    reached = {p.key for p in [*swapped, *unreached]}
    unmatched = tuple(key.label for key, _ in keys if key.label not in reached)
    report = SwapReport(
        model=new,
        swapped=tuple(swapped),
        unreached=tuple(unreached),
        fresh_weights=tuple(fresh),
        unmatched=unmatched,
        uses=uses,
        rebuilt_as=rebuilt_as,
        notes=tuple(notes),
    )
    if not strict:
        return report
    if unreached:
        places = "; ".join(f"{p.path} ({p.where}: {p.old}: {p.reason})" for p in unreached)
        raise ValueError(
            f"swap_activations could not reach {len(unreached)} place(s) that apply a mapped activation: "
            f"{places}. Received: mapping={dict(mapping)!r}. Change those layers' code, or pass strict=False "
            "to get the partly swapped model and a report of what was and was not swapped."
        )
    return new


def _compile_like(old, new):
    if not getattr(old, "compiled", False):
        return []
    try:
        config = old.get_compile_config()
        if config:
            new.compile_from_config(config)
            return ["compiled like the original, with a fresh optimizer (its state is not carried over)"]
    except Exception as e:  # noqa: BLE001 - custom losses and metrics may not rebuild
        return [f"not compiled: the original's compile config did not rebuild ({type(e).__name__}: {e})"]
    return []
