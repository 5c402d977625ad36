"""The keras-act command: list, info, plot, compare, inspect.

    keras-act list
    keras-act info ID
    keras-act plot ID... [--derivative] --out FILE.png
    keras-act compare --activations ID,ID,... [--dataset digits] [--depth N] [--epochs N] [--out DIR]
    keras-act inspect MODEL.keras

Also `python -m keras_act ...`. Bad input (an unknown id, a missing file,
a bad option) prints one line, `keras-act: error: ...`, on stderr and exits
with status 2 (usage) or 1 (anything else); never a traceback.
"""

import argparse
import json
import os
import sys
import time
import zipfile

from keras_act._docs import format_range
from keras_act._record import ALIASES, RECORDS
from keras_act.registry import record

PROG = "keras-act"
DATASETS = ("digits",)


class UsageError(Exception):
    """Bad command-line input: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _one_line(text):
    return " ".join(str(text).split())


# --------------------------------------------------------------------- list


def _keras_act_layers():
    """`{class name: layer class}` of keras_act.layers, if it is there."""
    try:
        from keras_act import layers
    except ImportError:
        return {}
    return {name: getattr(layers, name) for name in getattr(layers, "__all__", [])}


def _table(header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _yes(flag):
    return "yes" if flag else "no"


def _record_cells(rec):
    return (
        format_range(rec.output_range),
        _yes(rec.zero_centered),
        _yes(rec.monotonic) if rec.elementwise else "-",
        _yes(rec.smooth),
        rec.saturates,
        rec.recommended_initializer,
    )


def cmd_list(args, out):
    header = ("id", "range", "zero-centred", "monotonic", "smooth", "saturates", "initializer")
    rows = []
    for name in sorted([*RECORDS, *ALIASES]):
        rec = record(name)
        label = name if name in RECORDS else f"{name} (= {rec.name})"
        rows.append((label, *_record_cells(rec)))
    print(_table(header, rows), file=out)
    layers = _keras_act_layers()
    if layers:
        print(file=out)
        rows = []
        for name in sorted(layers):
            activation_id = getattr(layers[name], "activation_id", None)
            if activation_id is None:
                rows.append((f"layers.{name}", "-", "-", "-", "-", "-", "-", "(no record)"))
            else:
                rows.append((f"layers.{name}", *_record_cells(record(activation_id)), activation_id))
        print(_table(("layer", *header[1:], "computes"), rows), file=out)
    return 0


# --------------------------------------------------------------------- info


def cmd_info(args, out):
    layers = _keras_act_layers()
    if args.id in layers and args.id not in RECORDS:
        cls = layers[args.id]
        summary = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        print(f"keras_act.layers.{args.id}: {summary}", file=out)
        activation_id = getattr(cls, "activation_id", None)
        if activation_id is None:
            print("No activation record describes it: what it computes depends on its own arguments or weights.", file=out)
            return 0
        print(f"It computes {activation_id}:", file=out)
        rec = record(activation_id)
    else:
        rec = record(args.id)
    info = rec.info()
    lines = [
        ("id", rec.name + (f" (alias {args.id})" if args.id != rec.name and args.id not in layers else "")),
        ("formula", info["formula"]),
        ("derivative", info["derivative"]),
        ("range", format_range(rec.output_range)),
        ("zero-centred", _yes(rec.zero_centered)),
        ("monotonic", _yes(rec.monotonic) if rec.elementwise else "- (not elementwise)"),
        ("smooth", _yes(rec.smooth)),
        ("saturates", rec.saturates),
        ("flat outputs", ", ".join(f"{v:g}" for v in rec.flat_outputs) or "none (units cannot die)"),
        ("initializer", rec.recommended_initializer),
        ("defaults", ", ".join(f"{k}={v!r}" for k, v in rec.defaults.items()) or "-"),
        ("keras built-in", info["keras_builtin"] or "-"),
        ("pytorch", info["torch_equivalent"] or "-"),
        ("aliases", ", ".join(rec.aliases) or "-"),
        ("reference", rec.reference),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key.ljust(width)}  {value}", file=out)
    return 0


# --------------------------------------------------------------------- plot


def _check_png(path):
    if not path.lower().endswith(".png"):
        raise UsageError(f"--out must name a .png file. Received: --out {path}")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise FileNotFoundError(f"the directory of --out does not exist: {parent}")


def cmd_plot(args, out):
    _check_png(args.out)
    for name in args.ids:
        record(name)
    from keras_act.plot import plot

    fig = plot(args.ids, derivative=args.derivative, x_range=(args.x_min, args.x_max))
    fig.savefig(args.out, dpi=args.dpi)
    print(f"wrote {args.out}", file=out)
    return 0


# ------------------------------------------------------------------ compare


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _id_list(text):
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError("expected comma-separated activation ids, e.g. relu_custom,elu_custom")
    return ids


def load_dataset(name, seed=0):
    """`(x_train, x_test, y_train, y_test)` of a bundled data set, with
    standardized features (as SELU wants)."""
    if name != "digits":
        raise UsageError(f"unknown --dataset {name!r}; choose from {', '.join(DATASETS)}")
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError as e:
        raise ImportError(f"keras-act compare needs scikit-learn: pip install keras_act[data] ({e})") from e
    import numpy as np

    digits = load_digits()
    x = digits.data.astype("float32")
    x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-6)
    return train_test_split(x, digits.target, test_size=0.25, random_state=seed, stratify=digits.target)


def build_mlp(activation_id, input_dim, num_classes, depth, width):
    """The network `compare` trains: `depth` Dense layers of `width` units
    with the activation and its record's recommended initializer, then a
    softmax classifier."""
    import keras

    rec = record(activation_id)
    layers = [keras.Input(shape=(input_dim,))]
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


class _Progress:
    """A one-line progress bar per activation on stderr."""

    def __init__(self, stream, width=20):
        self.stream = stream
        self.width = width
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def update(self, label, done, total, loss, final=False):
        filled = int(round(self.width * done / total))
        bar = "#" * filled + "." * (self.width - filled)
        line = f"{label:<22} [{bar}] {done}/{total} epochs  loss {loss:.4f}"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        elif final:
            self.stream.write(line + "\n")
        self.stream.flush()


def compare(ids, dataset="digits", depth=4, width=64, epochs=10, batch_size=64, seed=0, progress=None):
    """Train the same MLP with each activation; return one dict per id.

    Each dict: id, initializer, test_accuracy, final_loss, seconds_per_epoch
    (median over the epochs after the first, which includes compilation),
    dead_fraction (over the hidden layers, at the
    end), grad_ratio (first/last layer gradient norm, at the end), and the
    per-epoch `loss` and `test_accuracy` curves.
    """
    import keras
    import numpy as np

    from keras_act.diagnostics import DeadUnitMonitor, GradientFlowMonitor

    records = [record(i) for i in ids]
    x_train, x_test, y_train, y_test = load_dataset(dataset, seed=seed)
    num_classes = int(np.max(y_train)) + 1
    results = []
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
        times = []

        class _Clock(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                times.append(time.perf_counter() - self.start)
                if progress is not None:
                    progress.update(activation_id, epoch + 1, epochs, logs["loss"], final=epoch + 1 == epochs)

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
        results.append(
            {
                "id": activation_id,
                "initializer": rec.recommended_initializer,
                "test_accuracy": float(accuracy),
                "final_loss": float(history.history["loss"][-1]),
                "seconds_per_epoch": float(np.median(times[1:] if len(times) > 1 else times)),
                "dead_fraction": float(np.mean([final_dead[k] for k in hidden])),
                "grad_ratio": float(grads.history["grad_ratio"][-1]),
                "loss": [float(v) for v in history.history["loss"]],
                "test_accuracy_curve": [float(v) for v in history.history["val_accuracy"]],
            }
        )
    return results


def format_compare(results):
    """The comparison as a Markdown table."""
    header = ("activation", "initializer", "test acc", "final loss", "s/epoch", "dead units", "grad first/last")
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
        for r in results
    ]
    widths = [max(len(c) for c in col) for col in zip(header, *rows)]
    fmt = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([fmt(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(fmt, rows)])


def save_curves(results, directory):
    """Training loss and test accuracy per epoch, one line per activation,
    as `directory/compare.png`; returns the path."""
    from keras_act.plot import _figure_class

    Figure, FigureCanvasAgg = _figure_class()
    fig = Figure(figsize=(10, 4), layout="constrained")
    FigureCanvasAgg(fig)
    loss_ax, acc_ax = fig.subplots(1, 2)
    for r in results:
        epochs = range(1, len(r["loss"]) + 1)
        loss_ax.plot(epochs, r["loss"], marker=".", label=r["id"])
        acc_ax.plot(epochs, r["test_accuracy_curve"], marker=".", label=r["id"])
    loss_ax.set(title="training loss", xlabel="epoch", yscale="log")
    acc_ax.set(title="test accuracy", xlabel="epoch")
    for ax in (loss_ax, acc_ax):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "compare.png")
    fig.savefig(path, dpi=80)
    return path


def cmd_compare(args, out):
    for name in args.activations:
        record(name)
    if args.out is not None:
        from keras_act.plot import _figure_class

        _figure_class()  # fail before training, not after
        if os.path.exists(args.out) and not os.path.isdir(args.out):
            raise UsageError(f"--out must be a directory. Received: --out {args.out}")
    results = compare(
        args.activations,
        dataset=args.dataset,
        depth=args.depth,
        width=args.width,
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
        progress=None if args.quiet else _Progress(sys.stderr),
    )
    print(
        f"{args.dataset}: {args.depth} hidden Dense({args.width}) layers + softmax, Adam(1e-3), "
        f"{args.epochs} epochs, batch {args.batch_size}, seed {args.seed}",
        file=out,
    )
    print(format_compare(results), file=out)
    if args.out is not None:
        print(f"wrote {save_curves(results, args.out)}", file=out)
    return 0


# ------------------------------------------------------------------ inspect


def _walk_layers(node, found):
    if isinstance(node, dict):
        config = node.get("config")
        if "class_name" in node and isinstance(config, dict) and "name" in config:
            found.append(node)
        for value in node.values():
            _walk_layers(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk_layers(value, found)


def _activation_name(value):
    """`(name, source)` of a serialized activation."""
    if isinstance(value, str):
        name = value
    elif isinstance(value, dict) and isinstance(value.get("config"), dict):
        # An activation layer given as activation=: Dense(activation=keras_act.layers.ELU()).
        registered = value.get("registered_name") or ""
        return value.get("class_name"), "keras_act layer" if registered.startswith("keras_act>") else "keras"
    elif isinstance(value, dict):
        name = value.get("registered_name") if value.get("registered_name") not in (None, "function") else None
        name = name or value.get("config")
        if not isinstance(name, str):
            return json.dumps(value), "unknown"
    else:
        return None, None
    if name.startswith("keras_act>"):
        return name.split(">", 1)[1], "keras_act"
    if name in RECORDS or name in ALIASES:
        return name, "keras_act"
    return name, "keras"


def inspect_model(path):
    """What a saved `.keras` model uses, and whether it loads.

    Returns `(rows, layer_classes, error)`: rows of (layer, class,
    activation, source) for every layer that applies an activation or comes
    from keras_act; the keras_act layer classes used; and `None` if the
    model loads, else the loading error as one line.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path}")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"not a .keras model (a zip archive with config.json): {path}")
    with zipfile.ZipFile(path) as archive:
        try:
            config = json.loads(archive.read("config.json"))
        except KeyError:
            raise ValueError(f"not a .keras model (no config.json inside): {path}") from None
    found = []
    _walk_layers(config, found)
    rows, layer_classes = [], set()
    for node in found:
        cfg = node["config"]
        cls = node["class_name"]
        registered = node.get("registered_name") or ""
        from_keras_act = registered.startswith("keras_act>") or str(node.get("module", "")).startswith("keras_act")
        for key in ("activation", "recurrent_activation"):
            if key in cfg:
                name, source = _activation_name(cfg[key])
                if name is not None and name != "linear":
                    rows.append((cfg["name"], cls, name + ("" if key == "activation" else f" ({key})"), source))
        if from_keras_act:
            layer_classes.add(cls)
            activation_id = getattr(_keras_act_layers().get(cls), "activation_id", None)
            rows.append((cfg["name"], cls, activation_id or "(no record)", "keras_act layer"))
    error = None
    try:
        import keras

        keras.saving.load_model(path)
    except Exception as e:  # noqa: BLE001 - reported, not raised
        error = f"{type(e).__name__}: {_one_line(e)}"
    return rows, sorted(layer_classes), error


def cmd_inspect(args, out):
    rows, layers, error = inspect_model(args.model)
    if rows:
        print(_table(("layer", "class", "activation", "from"), rows), file=out)
    else:
        print("no activations found", file=out)
    used = sorted({r[2] for r in rows if r[3] == "keras_act"})
    print(f"keras_act ids: {', '.join(used) or 'none'}", file=out)
    print(f"keras_act layers: {', '.join(layers) or 'none'}", file=out)
    if error is None:
        print("loads: yes (with keras_act imported, safe_mode=True)", file=out)
        return 0
    print(f"loads: no: {error}", file=out)
    return 1


# --------------------------------------------------------------------- main


def build_parser():
    parser = _Parser(prog=PROG, description="Activation functions for Keras 3: look them up, plot, compare, inspect.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    sub.add_parser("list", help="every activation id and layer with its properties")

    p = sub.add_parser("info", help="formula, derivative, properties and reference of one id")
    p.add_argument("id", metavar="ID")

    p = sub.add_parser("plot", help="draw activations (and derivatives) into a PNG")
    p.add_argument("ids", metavar="ID", nargs="+")
    p.add_argument("--derivative", action="store_true", help="also draw f'(x)")
    p.add_argument("--out", required=True, metavar="FILE.png")
    p.add_argument("--x-min", type=float, default=-6.0)
    p.add_argument("--x-max", type=float, default=6.0)
    p.add_argument("--dpi", type=_positive_int, default=80)

    p = sub.add_parser("compare", help="train the same network with each activation and compare")
    p.add_argument("--activations", type=_id_list, required=True, metavar="ID,ID,...")
    p.add_argument("--dataset", choices=DATASETS, default="digits")
    p.add_argument("--depth", type=_positive_int, default=4, help="hidden layers (default 4)")
    p.add_argument("--width", type=_positive_int, default=64, help="units per hidden layer (default 64)")
    p.add_argument("--epochs", type=_positive_int, default=10, help="default 10")
    p.add_argument("--batch-size", type=_positive_int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="DIR", help="write training curves to DIR/compare.png")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("inspect", help="the activations and keras_act layers a .keras model uses; does it load?")
    p.add_argument("model", metavar="MODEL.keras")
    return parser


COMMANDS = {
    "list": cmd_list,
    "info": cmd_info,
    "plot": cmd_plot,
    "compare": cmd_compare,
    "inspect": cmd_inspect,
}


def main(argv=None):
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    err = sys.stderr
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args, sys.stdout)
    except UsageError as e:
        print(f"{PROG}: error: {_one_line(e)} (see {PROG} --help)", file=err)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
    except (ValueError, TypeError, OSError, ImportError) as e:
        print(f"{PROG}: error: {_one_line(e)}", file=err)
        return 1
    except Exception as e:  # noqa: BLE001 - a command line prints no tracebacks
        print(f"{PROG}: error: {type(e).__name__}: {_one_line(e)}", file=err)
        return 1
