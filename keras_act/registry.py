"""Look-ups derived from the activation records: get, derivative, info."""

from typing import Any, Callable

from keras_act._lazy import keras

from keras_act import _kernels, _suggest
from keras_act._record import ALIASES, RECORDS, ActivationRecord
from keras_act._typing import TensorLike
from keras_act.activations._common import as_float


def list_activations() -> list[str]:
    """Every string id keras_act provides (aliases included), sorted.

    Use it to enumerate the ids, for a search over activations or a menu;
    `info(id)` describes each.

    Example:
        >>> "selu_custom" in keras_act.list_activations()
        True
    """
    return sorted([*RECORDS, *ALIASES])


def record(name: str) -> ActivationRecord:
    """The `ActivationRecord` of a string id (or alias).

    Use it to reach everything keras_act knows about an id from code: the
    function, its analytic derivative, formula, output range, properties and
    reference (`info()` gives the same as a plain dict).

    Args:
        name: an activation id or alias.

    Raises:
        ValueError: for an unknown id, naming the closest ids.

    Example:
        >>> keras_act.record("softplus_custom").defaults
        {'beta': 1.0, 'threshold': 20.0}
        >>> keras_act.record("softplus_custom").smooth
        True
    """
    if not isinstance(name, str):
        raise TypeError(f"An activation id is a string. Received: name={name!r}.")
    canonical = ALIASES.get(name, name)
    if canonical in RECORDS:
        return RECORDS[canonical]
    raise ValueError(unknown_id_message(name))


def unknown_id_message(name):
    """The message for an unknown id, with the closest known ids."""
    return _suggest.unknown_id_message(name, list_activations())


def get(identifier: str | dict[str, Any] | Callable[..., Any]) -> Callable[..., Any]:
    """Return the activation function for an id, callable or serialized dict.

    Use it where `keras.activations.get` would be, to accept keras_act's string
    ids and aliases as well as callables and serialized activations.

    Args:
        identifier: a keras_act string id (`"selu_custom"`), a callable
            (returned as is) or a dict from `keras.activations.serialize`.

    Returns:
        The activation function.

    Raises:
        ValueError: for an unknown id (naming the closest ids) or a dict
            that does not deserialize to a callable.

    Example:
        >>> keras_act.get("mish_custom") is keras_act.activations.mish_custom
        True
        >>> keras_act.get("swish_custom").__name__
        'silu_custom'
    """
    if isinstance(identifier, str):
        return record(identifier).fn
    if isinstance(identifier, dict):
        fn = keras.saving.deserialize_keras_object(identifier)
        if not callable(fn):
            raise ValueError(f"The config does not describe an activation. Received: identifier={identifier!r}.")
        return fn
    if callable(identifier):
        return identifier
    raise TypeError(
        "An activation is a string id, a callable or a serialized dict. "
        f"Received: identifier={identifier!r}."
    )


def derivative(name: str) -> Callable[..., TensorLike]:
    """The analytic derivative f'(x) of an elementwise activation id.

    The returned function takes the same hyperparameters as the activation
    (`derivative("elu_custom")(x, alpha=0.5)`). At kinks it takes the value
    TensorFlow's gradient takes (e.g. relu'(0) = 0).

    Args:
        name: an elementwise activation id or alias, e.g. `"elu_custom"`.

    Raises:
        ValueError: for an unknown id, or an id that is not elementwise
            (softmax, log_softmax, softmin, glu have Jacobians, not
            derivatives: use autodiff).

    Example:
        >>> x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], "float32")
        >>> dy = keras_act.derivative("elu_custom")(x, alpha=0.5)
        >>> np.round(keras.ops.convert_to_numpy(dy), 4)
        array([0.0677, 0.3033, 0.5   , 1.    , 1.    ], dtype=float32)
    """
    rec = record(name)
    if rec.derivative is None:
        raise ValueError(
            f"{rec.name!r} is not elementwise, so it has a Jacobian rather than "
            f"an elementwise derivative ({rec.derivative_formula}). Use autodiff "
            "(tf.GradientTape) for it."
        )
    analytic = rec.derivative

    def derivative_fn(x, **hyperparameters):
        return analytic(as_float(x), **{**rec.defaults, **hyperparameters})

    derivative_fn.__name__ = f"{rec.name}_derivative"
    derivative_fn.__doc__ = f"f'(x) of {rec.name}: {rec.derivative_formula}"
    return derivative_fn


def info(name: str) -> dict[str, Any]:
    """What an activation is: formula, range and properties, as a dict.

    Keys: name, formula, derivative, output_range, zero_centered, monotonic,
    smooth, saturates, recommended_initializer, reference, defaults,
    elementwise, keras_builtin, torch_equivalent, aliases, and kernels:
    which implementation runs on each backend ("tensorflow", "jax",
    "torch") and what replaces it when exporting ("export:onnx",
    "export:litert").

    Args:
        name: an activation id or alias.

    Example:
        >>> keras_act.info("selu_custom")["output_range"]
        (-1.7580993408473766, inf)
        >>> keras_act.info("swish_custom")["formula"]
        'x * sigmoid(x)'
        >>> keras_act.info("gelu_custom")["kernels"]["torch"]
        'torch.nn.functional.gelu'
    """
    rec = record(name)
    return {**rec.info(), "kernels": _kernels.describe(rec.name)}


def check_registrations() -> None:
    """Check that every keras_act name still resolves to keras_act's object.

    Keras's registry of serializable objects is one process-wide table in
    which the last registration wins: a package imported after keras_act
    can register `keras_act>selu_custom` (or the string id `"selu_custom"`)
    again, and a model loaded afterwards silently computes that package's
    function. keras_act does not patch Keras to forbid it; this check finds
    it. Call it before `keras.saving.load_model` where that matters.

    Raises:
        ValueError: naming each overridden name and the module that now
            owns it.

    Example:
        >>> keras_act.check_registrations()
    """
    from keras_act import layers  # imports Keras; `import keras_act` (and this module) does not

    expected = {}
    for name in list_activations():
        fn = record(name).fn
        expected[f"keras_act>{name}"] = (fn, keras.saving.get_registered_object(f"keras_act>{name}"))
        try:
            expected[name] = (fn, keras.activations.get(name))
        except ValueError:
            expected[name] = (fn, None)
    for name in layers.__all__:
        cls = getattr(layers, name)
        expected[f"keras_act>{name}"] = (cls, keras.saving.get_registered_object(f"keras_act>{name}"))
    def same(own, found):
        # A reloaded module (Jupyter's autoreload) registers a new object of
        # the same definition, while the package still holds the old one.
        return found is own or (
            getattr(found, "__module__", None) == own.__module__
            and getattr(found, "__qualname__", None) == own.__qualname__
        )

    wrong = {key: found for key, (own, found) in expected.items() if not same(own, found)}
    if wrong:
        found = ", ".join(
            f"{key!r} -> {getattr(obj, '__module__', None)}.{getattr(obj, '__qualname__', obj)!s}"
            for key, obj in wrong.items()
        )
        raise ValueError(
            "check_registrations expected every keras_act name to resolve to keras_act's own object. "
            f"Received: {found}. Another package registered these names after keras_act (Keras's registry "
            "lets the last registration win): stop it from registering under keras_act's names, or import "
            "keras_act after it, before loading models that use them."
        )
