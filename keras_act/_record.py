"""The activation records: one per string id, the single source of truth.

Everything else in keras_act (the Keras string table, `list_activations()`,
`info()`, `derivative()`, the README table, the command line and the
parametrized tests) is derived from the records held in `RECORDS`.

Defaults are written once, in the function's signature. The record's
`defaults` are read from it (`defaults_of`: the parameters after `x` but
`training` and `seed`, which say how a call runs, not which function it
computes), and the formula's note on them, e.g. "   (negative_slope =
0.01)", is generated from those that are numbers (an axis is said in the
formula's own words, "over the last axis"). The helpers behind a function
(its derivative, portable form and saved-gradient pair, the kernels in
`keras_act._kernels`) take no defaults of their own: the function, the
dispatch and `keras_act.derivative()` always pass every hyperparameter.
A layer's `__init__` reads its defaults from the function
(`negative_slope: float = defaults_of(leaky_relu_custom)["negative_slope"]`),
and the docs and the README table read the record. Where `keras_builtin`
names one of the hyperparameters in Keras's call, it must equal the default.
"""

import dataclasses
import fractions
import inspect
import math
import types
from typing import Callable, Mapping, Optional, Tuple

from keras_act import _keras_internals

PACKAGE = "keras_act"
SUFFIX = "_custom"

SATURATION_KINDS = ("none", "negative", "positive", "both")
INITIALIZERS = ("glorot_uniform", "he_normal", "lecun_normal")

# Ordered by registration; `list_activations()` sorts.
RECORDS: "dict[str, ActivationRecord]" = {}
# alias id -> canonical id (e.g. "swish_custom" -> "silu_custom").
ALIASES: "dict[str, str]" = {}


@dataclasses.dataclass(frozen=True)
class ActivationRecord:
    """Everything keras_act knows about one activation.

    Attributes:
        name: the string id, e.g. `"selu_custom"`; always ends in `_custom`.
        fn: the activation, written with `keras.ops`.
        derivative: analytic elementwise derivative `f'(x, **defaults)`,
            or `None` for functions that are not elementwise (softmax, GLU).
        formula: plain-text formula of `f`, ending in a note on the
            number defaults, generated from them ("   (alpha = 1)").
        derivative_formula: plain-text formula of `f'` (or of its Jacobian).
        output_range: `(low, high)` of the outputs for the default
            hyperparameters; `-inf`/`inf` where unbounded.
        zero_centered: whether standard-normal inputs give outputs whose mean
            is within 0.05 of zero (checked by the tests).
        monotonic: whether `f` is non-decreasing (elementwise ids only).
        smooth: whether `f` is continuously differentiable (C1).
        saturates: where the derivative vanishes as `|x|` grows: one of
            `"none"`, `"negative"`, `"positive"`, `"both"`.
        recommended_initializer: the Keras initializer that matches it.
        reference: the paper (authors, year, link) that defines it.
        defaults: the hyperparameters and their defaults, read from the
            signature of `fn` (`defaults_of`).
        flat_outputs: output values that occur only where `f' = 0` (a unit
            stuck there is dead); used by the diagnostics.
        keras_builtin: `(name, kwargs)` of the equivalent
            `keras.activations` function, or `None`.
        torch_equivalent: the PyTorch spelling, or `None`.
        elementwise: whether each output depends only on its own input.
        aliases: further string ids for the same function.

    `keras_act.info()` adds, from `keras_act._kernels`, which implementation
    runs on each backend and when exporting (`"kernels"`): the dispatch
    reads the records, the records know nothing of the dispatch.
    """

    name: str
    fn: Callable
    derivative: Optional[Callable]
    formula: str
    derivative_formula: str
    output_range: Tuple[float, float]
    zero_centered: bool
    monotonic: bool
    smooth: bool
    saturates: str
    recommended_initializer: str
    reference: str
    defaults: Mapping[str, object] = dataclasses.field(default_factory=dict)
    flat_outputs: Tuple[float, ...] = ()
    keras_builtin: Optional[Tuple[str, Mapping[str, object]]] = None
    torch_equivalent: Optional[str] = None
    elementwise: bool = True
    aliases: Tuple[str, ...] = ()

    def info(self):
        """The user-facing description of this record, as a plain dict."""
        return {
            "name": self.name,
            "formula": self.formula,
            "derivative": self.derivative_formula,
            "output_range": self.output_range,
            "zero_centered": self.zero_centered,
            "monotonic": self.monotonic,
            "smooth": self.smooth,
            "saturates": self.saturates,
            "recommended_initializer": self.recommended_initializer,
            "reference": self.reference,
            "defaults": dict(self.defaults),
            "elementwise": self.elementwise,
            "keras_builtin": _format_builtin(self.keras_builtin),
            "torch_equivalent": self.torch_equivalent,
            "aliases": self.aliases,
        }



def _bound(v):
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.4g}"


def format_range(output_range) -> str:
    """A record's `output_range` as the docs and the command line print it:
    `[-1, inf]`."""
    lo, hi = output_range
    return f"[{_bound(lo)}, {_bound(hi)}]"


def _same_definition(old, new):
    # The same `def` of the same module, executed again by a reload.
    return old.__module__ == new.__module__ and old.__code__.co_name == new.__code__.co_name


def _format_builtin(builtin):
    if builtin is None:
        return None
    name, kwargs = builtin
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"keras.activations.{name}({args})" if args else f"keras.activations.{name}"


# Arguments of a call that are not hyperparameters of the function it computes.
_NOT_HYPERPARAMETERS = ("training", "seed")


def defaults_of(fn: Callable) -> dict:
    """The hyperparameters of activation function `fn` and their defaults,
    from its signature: every parameter after `x` that has a default, but
    `training` and `seed`."""
    parameters = list(inspect.signature(fn).parameters.values())[1:]
    return {p.name: p.default for p in parameters if p.default is not p.empty and p.name not in _NOT_HYPERPARAMETERS}


def _spell(value) -> str:
    """A default as the formula's note writes it: the shortest exact
    spelling, as an integer (1.0: "1"), a fraction (1/3: "1/3", 0.125:
    "1/8") or a decimal (0.01: "0.01", 0.5: "0.5")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    decimal = repr(value)
    ratio = fractions.Fraction(value).limit_denominator(64)
    if ratio.denominator > 1 and float(ratio) == value and len(str(ratio)) < len(decimal):
        return str(ratio)
    return decimal


def _with_defaults(formula, defaults):
    numbers = [f"{k} = {_spell(v)}" for k, v in defaults.items() if isinstance(v, float)]
    return f"{formula}   ({', '.join(numbers)})" if numbers else formula


def _defaults_from_signature(name, fn, metadata):
    """The record's `defaults` and formula, from fn's signature (see the
    module docstring); `keras_builtin`'s arguments held to the defaults."""
    if "defaults" in metadata:
        raise TypeError(f"{name}: the defaults are read from the function's signature; pass no `defaults`.")
    parameters = list(inspect.signature(fn).parameters.values())[1:]
    required = [p.name for p in parameters if p.default is p.empty]
    if required:
        raise ValueError(
            f"Activation {name!r} expected a default for every hyperparameter (its string id calls it with x "
            f"alone). Received: {fn.__code__.co_name}{inspect.signature(fn)}. Give {', '.join(required)} a default."
        )
    defaults = defaults_of(fn)
    builtin = metadata.get("keras_builtin")
    for key, value in (builtin[1] if builtin else {}).items():
        if key in defaults and value != defaults[key]:
            raise ValueError(
                f"Activation {name!r} expected keras_builtin's `{key}` to be the signature's default, "
                f"{defaults[key]!r}. Received: {key}={value!r}. Name Keras's call with keras_act's defaults."
            )
    return {"defaults": defaults, "formula": _with_defaults(metadata["formula"], defaults)}


def activation(name, **metadata):
    """Decorator: make a function the activation `name` and record it.

    The function is renamed to its id (so Keras serializes it as
    `keras_act>name`, never as a built-in's name). Recording imports no
    Keras: `keras_act._keras_internals.install` registers every record with
    `keras.saving.register_keras_serializable(package="keras_act")` and
    Keras's string table once Keras is imported (at once for a record made
    after that). Recording an id again from the same definition (the same
    function of the same module, run again by `importlib.reload` or
    Jupyter's autoreload) replaces its record, registration and string id;
    any other function under a recorded id is a ValueError.
    """
    if not name.endswith(SUFFIX):
        raise ValueError(f"Activation ids end in '{SUFFIX}'. Received: name={name!r}.")
    if name in ALIASES:
        raise ValueError(f"Activation id {name!r} is already recorded as an alias of {ALIASES[name]!r}.")
    if metadata.get("saturates") not in SATURATION_KINDS:
        raise ValueError(f"saturates must be one of {SATURATION_KINDS}. Received: {metadata.get('saturates')!r}.")
    if metadata.get("recommended_initializer") not in INITIALIZERS:
        raise ValueError(
            f"recommended_initializer must be one of {INITIALIZERS}. "
            f"Received: {metadata.get('recommended_initializer')!r}."
        )

    def decorator(fn):
        if not isinstance(fn, types.FunctionType):
            raise TypeError(f"An activation must be a plain function. Received: {fn!r}.")
        old = RECORDS.get(name)
        if old is not None and not _same_definition(old.fn, fn):
            raise ValueError(
                f"Activation id {name!r} is already recorded by {old.fn.__module__}.{old.fn.__code__.co_name}. "
                f"Received: fn={fn.__module__}.{fn.__code__.co_name}. Choose another id."
            )
        record = ActivationRecord(name=name, fn=fn, **{**metadata, **_defaults_from_signature(name, fn, metadata)})
        for alias in record.aliases:
            if not alias.endswith(SUFFIX) or alias in RECORDS or ALIASES.get(alias, name) != name:
                raise ValueError(f"Bad or duplicate alias {alias!r} for {name!r}.")
        fn.__name__ = name
        fn.__qualname__ = name
        RECORDS[name] = record
        if old is not None:
            for alias in [a for a, c in ALIASES.items() if c == name]:
                del ALIASES[alias]
        for alias in record.aliases:
            ALIASES[alias] = name
        if _keras_internals.installed():
            # Recorded after keras_act met Keras (a reloaded module, as
            # importlib.reload or Jupyter's autoreload run it): register it
            # now, the new function replacing the old wherever keras_act put it.
            _keras_internals.register_activation(record, old)
        return fn

    return decorator
