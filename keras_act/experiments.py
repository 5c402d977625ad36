"""Compare activations by training: `compare`, `load_dataset`, `build_mlp`.

`compare(["relu_custom", "elu_custom"])` trains the same MLP once per
activation, each with the initializer its record recommends, on
scikit-learn's digits (bundled offline with scikit-learn, the `data`
extra), and returns a `CompareResult`: a Markdown table in a notebook,
`print()`-able, iterable as one dict per activation, with `figure()` and
`save_curves()` for the training curves (the `plot` extra).
`keras-act compare` prints the same table.
"""

import dataclasses
import os
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import keras
import numpy as np

from keras_act import _validation, layers
from keras_act.diagnostics import DeadUnitMonitor, GradientFlowMonitor
from keras_act.plot import _figure_class
from keras_act.registry import record

DATASETS = ("digits",)

# progress(activation_id, epochs_done, epochs, loss)
ProgressCallback = Callable[[str, int, int, float], None]


def load_dataset(name: str = "digits", seed: int = 0) -> Tuple[Any, Any, Any, Any]:
    """`(x_train, x_test, y_train, y_test)` of a bundled data set.

    Features are standardized (as SELU wants); 25% of the samples are held
    out for testing, stratified by class.

    Args:
        name: the data set; only `"digits"` (scikit-learn's 8x8 digits,
            1797 samples, 64 features, 10 classes). Defaults to `"digits"`.
        seed: seed of the train/test split. Defaults to `0`.

    Raises:
        ValueError: for an unknown data set.
        ImportError: without scikit-learn (`pip install "keras_act[data]"`).

    Example:

    >>> x_train, x_test, y_train, y_test = load_dataset("digits")
    >>> x_train.shape, x_test.shape
    ((1347, 64), (450, 64))
    """
    if name not in DATASETS:
        raise ValueError(f"Unknown data set. Received: name={name!r}. Choose from {', '.join(DATASETS)}.")
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError as e:
        raise ImportError(f'The digits data set needs scikit-learn: pip install "keras_act[data]" ({e})') from e

    digits = load_digits()
    x = digits.data.astype("float32")
    x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-6)
    return tuple(train_test_split(x, digits.target, test_size=0.25, random_state=seed, stratify=digits.target))


# The initializer of the Dense layers before a learnable layer that has no
# record (PReLU, PELU, SReLU, StarReLU, PAU): each starts close to a member
# of the ReLU family (leaky ReLU, ELU, a leaky ReLU of random slope, a
# squared ReLU, a fit to leaky ReLU), whose records recommend he_normal.
LAYER_INITIALIZER = "he_normal"


def _layer_class(name):
    return getattr(layers, name) if name in layers.__all__ else None


def _layer_record(name):
    """`(record or None, reason)` for a keras_act layer name: the reason is
    why `compare` cannot train it, or None."""
    cls = _layer_class(name)
    try:
        layer = cls()
    except (TypeError, ValueError):
        return None, "needs arguments"
    rec = record(cls.activation_id) if cls.activation_id is not None else None
    if (rec is not None and not rec.elementwise) or not getattr(layer, "supports_masking", False):
        return rec, "is not elementwise"
    return rec, None


def check_trainable(ids: Sequence[str]) -> List[Any]:
    """The records of `ids`, after checking that `compare` can train each.

    `compare` puts each activation in Dense layers, so it must be
    elementwise (its record says so): softmax, log_softmax, softmin and glu
    mix or halve the units and are refused. A name of `keras_act.layers`
    (`"PELU"`, `"PAU"`) is accepted beside the ids when the layer is
    elementwise and needs no arguments; its entry is the record of its
    `activation_id`, or `None` for a learnable layer without one.

    Raises:
        ValueError: for an unknown id (with "Did you mean") or one that is
            not elementwise, before anything is trained.

    Example:

    >>> [rec.name for rec in check_trainable(["relu_custom", "swish_custom"])]
    ['relu_custom', 'silu_custom']
    >>> check_trainable(["glu_custom"])
    Traceback (most recent call last):
    ...
    ValueError: compare trains Dense layers with elementwise activations; 'glu_custom' is not elementwise. Received: ids=['glu_custom']. Use it as the last layer of your own model instead.
    """
    ids = list(ids)
    if not ids:
        raise ValueError("compare needs at least one activation id. Received: ids=[].")
    records, refused = [], []
    for i in ids:
        if _layer_class(i) is not None:
            rec, reason = _layer_record(i)
            if reason == "needs arguments":
                raise ValueError(
                    f"compare builds each layer with its default arguments; layers.{i} needs arguments. "
                    f"Received: ids={ids!r}. Compare it in your own model instead."
                )
            if reason is not None:
                refused.append(i)
        else:
            rec = record(i)
            if not rec.elementwise:
                refused.append(i)
        records.append(rec)
    if refused:
        names = " and ".join(repr(i) for i in refused)
        verb = "is" if len(refused) == 1 else "are"
        raise ValueError(
            f"compare trains Dense layers with elementwise activations; {names} {verb} not elementwise. "
            f"Received: ids={ids!r}. Use it as the last layer of your own model instead."
        )
    return records


def build_mlp(activation_id: str, input_dim: int, num_classes: int, depth: int = 4, width: int = 64):
    """The network `compare` trains.

    `depth` Dense layers of `width` units, each with the activation and its
    record's recommended initializer, then a softmax classifier. Given the
    name of a keras_act layer (`"PELU"`), each Dense layer `dense_i` is
    followed by that layer, named `hidden_i`, with its defaults (the
    Dense layers take the initializer of its `activation_id`'s record, or
    `LAYER_INITIALIZER` for a layer without one).

    Args:
        activation_id: a keras_act id, or the name of a keras_act layer.
        input_dim: number of input features.
        num_classes: number of classes.
        depth: number of hidden layers. Defaults to `4`.
        width: units per hidden layer. Defaults to `64`.

    Example:

    >>> model = build_mlp("selu_custom", input_dim=64, num_classes=10, depth=2, width=8)
    >>> [layer.name for layer in model.layers]
    ['hidden_1', 'hidden_2', 'classifier']
    >>> model.layers[0].kernel_initializer.__class__.__name__
    'LecunNormal'
    """
    layers = [keras.Input(shape=(input_dim,))]
    cls = _layer_class(activation_id)
    if cls is not None:
        init = record(cls.activation_id).recommended_initializer if cls.activation_id else LAYER_INITIALIZER
        for i in range(depth):
            layers.append(keras.layers.Dense(width, kernel_initializer=init, name=f"dense_{i + 1}"))
            layers.append(cls(name=f"hidden_{i + 1}"))
        layers.append(keras.layers.Dense(num_classes, activation="softmax", name="classifier"))
        return keras.Sequential(layers, name=f"mlp_{activation_id}")
    rec = record(activation_id)
    for i in range(depth):
        layers.append(
            keras.layers.Dense(
                width,
                activation=activation_id,
                kernel_initializer=rec.recommended_initializer,
                name=f"hidden_{i + 1}",
            )
        )
    layers.append(keras.layers.Dense(num_classes, activation="softmax", name="classifier"))
    return keras.Sequential(layers, name=f"mlp_{rec.name}")


_COLUMNS = ("activation", "initializer", "test acc", "final loss", "s/epoch", "dead units", "grad first/last")


@dataclasses.dataclass(frozen=True)
class CompareResult:
    """The outcome of `compare`: one dict per activation, in order.

    Each dict has `id`, `initializer`, `test_accuracy`, `final_loss`,
    `seconds_per_epoch` (median over the epochs after the first, which
    includes compilation), `dead_fraction` (over the hidden layers, at the
    end), `grad_ratio` (the first layer's gradient norm over the last layer's, the classifier included, at the end),
    and the per-epoch curves `loss` and `test_accuracy_curve`.

    Attributes:
        rows: the dicts.
        settings: dataset, depth, width, epochs, batch_size and seed.
    """

    rows: Tuple[Dict[str, Any], ...]
    settings: Dict[str, Any]

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def description(self) -> str:
        """One line saying what was trained."""
        s = self.settings
        return (
            f"{s['dataset']}: {s['depth']} hidden Dense({s['width']}) layers + softmax, Adam(1e-3), "
            f"{s['epochs']} epochs, batch {s['batch_size']}, seed {s['seed']}"
        )

    def to_markdown(self) -> str:
        """The comparison as a Markdown table."""
        rows = [
            (
                f"`{r['id']}`",
                r["initializer"],
                f"{r['test_accuracy']:.4f}",
                f"{r['final_loss']:.4f}",
                f"{r['seconds_per_epoch']:.3f}",
                f"{100 * r['dead_fraction']:.1f}%",
                f"{r['grad_ratio']:.2e}",
            )
            for r in self.rows
        ]
        widths = [max(len(c) for c in col) for col in zip(_COLUMNS, *rows)]

        def line(cells):
            return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

        return "\n".join([line(_COLUMNS), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])

    def __str__(self) -> str:
        return self.description() + "\n" + self.to_markdown()

    def _repr_markdown_(self) -> str:
        return self.description() + "\n\n" + self.to_markdown()

    def figure(self):
        """Training loss and test accuracy per epoch, one line per
        activation, as a matplotlib Figure (needs the `plot` extra)."""
        Figure, FigureCanvasAgg = _figure_class()
        fig = Figure(figsize=(10, 4), layout="constrained")
        FigureCanvasAgg(fig)
        loss_ax, acc_ax = fig.subplots(1, 2)
        for r in self.rows:
            epochs = range(1, len(r["loss"]) + 1)
            loss_ax.plot(epochs, r["loss"], marker=".", label=r["id"])
            acc_ax.plot(epochs, r["test_accuracy_curve"], marker=".", label=r["id"])
        loss_ax.set(title="training loss", xlabel="epoch", yscale="log")
        acc_ax.set(title="test accuracy", xlabel="epoch")
        for ax in (loss_ax, acc_ax):
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize="small")
        return fig

    def save_curves(self, directory: str) -> str:
        """Write `figure()` to `directory/compare.png` (made if missing);
        returns the path."""
        fig = self.figure()
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, "compare.png")
        fig.savefig(path, dpi=80)
        return path


def compare(
    ids: Sequence[str],
    dataset: str = "digits",
    depth: int = 4,
    width: int = 64,
    epochs: int = 10,
    batch_size: int = 64,
    seed: int = 0,
    progress: Optional[ProgressCallback] = None,
) -> CompareResult:
    """Train the same MLP with each activation and compare them.

    Every id and the data set are checked before anything is trained. Each
    network is `build_mlp(id, ...)`, trained with Adam(1e-3) from the same
    seed; `DeadUnitMonitor` and `GradientFlowMonitor` measure it.

    Args:
        ids: keras_act ids of elementwise activations, or names of
            elementwise keras_act layers that need no arguments (`"PELU"`,
            `"SReLU"`, `"StarReLU"`, `"PAU"`, `"PReLU"`, ...).
        dataset: a data set of `load_dataset`. Defaults to `"digits"`.
        depth: hidden layers. Defaults to `4`.
        width: units per hidden layer. Defaults to `64`.
        epochs: training epochs. Defaults to `10`.
        batch_size: Defaults to `64`.
        seed: seed of the split, the weights and the shuffling. Defaults to
            `0`.
        progress: called as `progress(id, epochs_done, epochs, loss)` after
            every epoch, or `None`. Defaults to `None`.

    Returns:
        A `CompareResult`.

    Raises:
        ValueError: for an unknown or non-elementwise id or an unknown data
            set, before any training.

    Example:

    >>> result = compare(["relu_custom", "elu_custom"], depth=1, width=8, epochs=1)
    >>> [(row["id"], row["initializer"]) for row in result]
    [('relu_custom', 'he_normal'), ('elu_custom', 'he_normal')]
    >>> print(result.to_markdown().splitlines()[0])
    | activation    | initializer | test acc | final loss | s/epoch | dead units | grad first/last |
    """
    records = check_trainable(ids)
    for name, value in (("depth", depth), ("width", width), ("epochs", epochs), ("batch_size", batch_size)):
        _validation.integer("compare", name, value, minimum=1)
    x_train, x_test, y_train, y_test = load_dataset(dataset, seed=seed)

    num_classes = int(np.max(y_train)) + 1
    rows = []
    for activation_id, rec in zip(ids, records):
        keras.utils.set_random_seed(seed)
        model = build_mlp(activation_id, x_train.shape[1], num_classes, depth, width)
        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        dead = DeadUnitMonitor(x_train[:512])
        grads = GradientFlowMonitor(x_train[:512], y_train[:512])
        times: List[float] = []

        class _Clock(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None, _id=activation_id):
                times.append(time.perf_counter() - self.start)
                if progress is not None:
                    progress(_id, epoch + 1, epochs, float(logs["loss"]))

        history = model.fit(
            x_train,
            y_train,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=(x_test, y_test),
            callbacks=[_Clock(), dead, grads],
            verbose=0,
        )
        _, accuracy = model.evaluate(x_test, y_test, verbose=0)
        final_dead = dead.measure(model)
        hidden = [k for k in final_dead if k.startswith("dead_fraction/hidden_")]
        rows.append(
            {
                "id": activation_id,
                "initializer": rec.recommended_initializer if rec is not None else LAYER_INITIALIZER,
                "test_accuracy": float(accuracy),
                "final_loss": float(history.history["loss"][-1]),
                "seconds_per_epoch": float(np.median(times[1:] if len(times) > 1 else times)),
                "dead_fraction": float(np.mean([final_dead[k] for k in hidden])),
                "grad_ratio": float(grads.history["grad_ratio"][-1]),
                "loss": [float(v) for v in history.history["loss"]],
                "test_accuracy_curve": [float(v) for v in history.history["val_accuracy"]],
            }
        )
    settings = {
        "dataset": dataset,
        "depth": depth,
        "width": width,
        "epochs": epochs,
        "batch_size": batch_size,
        "seed": seed,
    }
    return CompareResult(rows=tuple(rows), settings=settings)
