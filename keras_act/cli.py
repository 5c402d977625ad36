"""The keras-act command: list, info, plot, compare, inspect, migrate, swap.

    keras-act list
    keras-act info ID
    keras-act plot ID... [--derivative] --out FILE.png
    keras-act compare --activations ID,ID,... [--dataset digits] [--depth N] [--epochs N] [--out DIR]
    keras-act inspect MODEL.keras
    keras-act migrate OLD.h5 NEW.keras [--gelu-approximate] [--force]
    keras-act swap IN.keras OUT.keras --map FROM=TO [--map FROM=TO ...] [--force] [--partial]

This module parses arguments and prints; the work is done by the library
(`keras_act.compare`, `keras_act.inspect_model`, `keras_act.plot`,
`keras_act.compat.tfa.migrate`, `keras_act.swap_activations`). `list`,
`info` and `--help` read the records themselves: `import keras_act` imports
no Keras (see keras_act/__init__.py), and the layers are read from their
source files (keras_act._layer_catalog). So each command imports what it
needs inside its function (Keras, the layers, compat.tfa, the inspection):
`list` answers in a fraction of a second.

Bad input (an unknown id, a missing file, a bad option) prints one line,
`keras-act: error: ...`, on stderr and exits with status 2 (usage) or 1
(anything else); never a traceback. Run as a command, keras-act sends file
descriptor 2 to a temporary file while it works, so that TensorFlow's C++
log lines and Python warnings do not reach the terminal; its own messages
go to the original stderr. `--verbose` (or KERAS_ACT_VERBOSE=1) keeps
stderr as it is. A crash still reaches the terminal: a segmentation fault
or an abort makes Python's fault handler print "Fatal Python error" and the
Python stack there, and an unexpected error names the file holding
TensorFlow's messages.
"""

import argparse
import contextlib
import faulthandler
import functools
import os
import sys
import tempfile
import warnings
from typing import IO, List, Optional, Sequence

import keras_act
from keras_act import _kernels, _layer_catalog, _suggest
from keras_act._record import format_range
from keras_act._record import ALIASES, RECORDS

PROG = "keras-act"
DATASETS = ("digits",)
VERBOSE_ENV = "KERAS_ACT_VERBOSE"


class UsageError(Exception):
    """Bad command-line input: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _one_line(text):
    return " ".join(str(text).split())


@functools.lru_cache(maxsize=None)
def metadata():
    """The records and layers as `list` and `info` show them: read from the
    records and the layers' source files, with no Keras imported."""
    records = {}
    for name in sorted(RECORDS):
        rec = RECORDS[name]
        records[name] = {
            "formula": rec.formula,
            "derivative": rec.derivative_formula,
            "range": format_range(rec.output_range),
            "zero_centered": bool(rec.zero_centered),
            "monotonic": bool(rec.monotonic),
            "smooth": bool(rec.smooth),
            "saturates": rec.saturates,
            "flat_outputs": [f"{v:g}" for v in rec.flat_outputs],
            "recommended_initializer": rec.recommended_initializer,
            "defaults": {k: repr(v) for k, v in rec.defaults.items()},
            "keras_builtin": rec.info()["keras_builtin"],
            "torch_equivalent": rec.torch_equivalent,
            "elementwise": bool(rec.elementwise),
            "aliases": list(rec.aliases),
            "reference": rec.reference,
            "kernels": _kernels.describe(name),
        }
    layers = {
        name: {"summary": entry.summary, "activation_id": entry.activation_id}
        for name, entry in _layer_catalog.layers().items()
    }
    return {"records": records, "aliases": dict(sorted(ALIASES.items())), "layers": layers}


def _library():
    """The keras_act package, with Keras imported (which registers every id
    and layer): for the commands that compute."""
    import keras  # noqa: F401  (keras_act meets Keras as it is imported)

    return keras_act


# --------------------------------------------------------------------- list


def _table(header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _yes(flag):
    return "yes" if flag else "no"


def _canonical(name):
    meta = metadata()
    canonical = meta["aliases"].get(name, name)
    if canonical not in meta["records"]:
        raise ValueError(_suggest.unknown_id_message(name, [*meta["records"], *meta["aliases"]]))
    return canonical


def _record_cells(rec):
    return (
        rec["range"],
        _yes(rec["zero_centered"]),
        _yes(rec["monotonic"]) if rec["elementwise"] else "-",
        _yes(rec["smooth"]),
        rec["saturates"],
        rec["recommended_initializer"],
    )


def cmd_list(args, out, err):
    meta = metadata()
    records, aliases = meta["records"], meta["aliases"]
    header = ("id", "range", "zero-centred", "monotonic", "smooth", "saturates", "initializer")
    rows = []
    for name in sorted([*records, *aliases]):
        canonical = aliases.get(name, name)
        label = name if name in records else f"{name} (= {canonical})"
        rows.append((label, *_record_cells(records[canonical])))
    print(_table(header, rows), file=out)
    layers = meta["layers"]
    if layers:
        print(file=out)
        rows = []
        for name in sorted(layers):
            activation_id = layers[name]["activation_id"]
            if activation_id is None:
                rows.append((f"layers.{name}", "-", "-", "-", "-", "-", "-", "(no record)"))
            else:
                rows.append((f"layers.{name}", *_record_cells(records[activation_id]), activation_id))
        print(_table(("layer", *header[1:], "computes"), rows), file=out)
    return 0


# --------------------------------------------------------------------- info


def cmd_info(args, out, err):
    meta = metadata()
    layers = meta["layers"]
    if args.id in layers and args.id not in meta["records"]:
        layer = layers[args.id]
        print(f"keras_act.layers.{args.id}: {layer['summary']}", file=out)
        if layer["activation_id"] is None:
            print("No activation record describes it: what it computes depends on its own arguments or weights.", file=out)
            return 0
        print(f"It computes {layer['activation_id']}:", file=out)
        name = layer["activation_id"]
        alias_note = ""
    else:
        name = _canonical(args.id)
        alias_note = f" (alias {args.id})" if args.id != name else ""
    rec = meta["records"][name]
    lines = [
        ("id", name + alias_note),
        ("formula", rec["formula"]),
        ("derivative", rec["derivative"]),
        ("range", rec["range"]),
        ("zero-centred", _yes(rec["zero_centered"])),
        ("monotonic", _yes(rec["monotonic"]) if rec["elementwise"] else "- (not elementwise)"),
        ("smooth", _yes(rec["smooth"])),
        ("saturates", rec["saturates"]),
        ("flat outputs", ", ".join(rec["flat_outputs"]) or "none (units cannot die)"),
        ("initializer", rec["recommended_initializer"]),
        ("defaults", ", ".join(f"{k}={v}" for k, v in rec["defaults"].items()) or "-"),
        ("keras built-in", rec["keras_builtin"] or "-"),
        ("pytorch", rec["torch_equivalent"] or "-"),
        ("aliases", ", ".join(rec["aliases"]) or "-"),
        ("reference", rec["reference"]),
    ] + [(_KERNEL_LABELS.get(key, key), text) for key, text in rec["kernels"].items()]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key.ljust(width)}  {value}", file=out)
    return 0


_KERNEL_LABELS = {
    "tensorflow": "runs on tensorflow",
    "jax": "runs on jax",
    "torch": "runs on torch",
    "export:onnx": "exported to onnx",
    "export:litert": "exported to litert",
}


# --------------------------------------------------------------------- plot


def _check_png(path):
    if not path.lower().endswith(".png"):
        raise UsageError(f"--out must name a .png file. Received: --out {path}")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise FileNotFoundError(f"the directory of --out does not exist: {parent}")


def cmd_plot(args, out, err):
    _check_png(args.out)
    for name in args.ids:
        _canonical(name)
    keras_act = _library()
    fig = keras_act.plot.plot(args.ids, derivative=args.derivative, x_range=(args.x_min, args.x_max))
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


class _Progress:
    """A one-line progress bar per activation on stderr."""

    def __init__(self, stream, width=20):
        self.stream = stream
        self.width = width
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, label, done, total, loss):
        filled = int(round(self.width * done / total))
        bar = "#" * filled + "." * (self.width - filled)
        line = f"{label:<22} [{bar}] {done}/{total} epochs  loss {loss:.4f}"
        final = done == total
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        elif final:
            self.stream.write(line + "\n")
        self.stream.flush()


def _check_out_directory(path):
    """Make sure `--out DIR` can be written before anything is trained."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"--out must be a directory. Received: --out {path}")
    try:
        os.makedirs(path, exist_ok=True)
        probe = os.path.join(path, ".keras-act-write-test")
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError as e:
        raise OSError(f"cannot write to --out {path}: {e.strerror or e}") from None


def cmd_compare(args, out, err):
    for name in args.activations:
        if name not in metadata()["layers"]:  # a layer name (PELU, PAU) is checked by check_trainable
            _canonical(name)  # unknown ids: answered without importing Keras
    keras_act = _library()
    keras_act.experiments.check_trainable(args.activations)
    if args.out is not None:
        _check_out_directory(args.out)
        from keras_act.plot import _figure_class

        _figure_class()  # matplotlib missing: fail before training, not after
    keras_act.experiments.load_dataset(args.dataset)  # scikit-learn missing: fail before training
    result = keras_act.compare(
        args.activations,
        dataset=args.dataset,
        depth=args.depth,
        width=args.width,
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
        progress=None if args.quiet else _Progress(err),
    )
    print(result, file=out)
    if args.out is not None:
        print(f"wrote {result.save_curves(args.out)}", file=out)
    return 0


# ------------------------------------------------------------------ inspect


def cmd_inspect(args, out, err):
    from keras_act.inspection import read_config

    read_config(args.model)  # a missing, foreign or oversized file fails before Keras is imported
    keras_act = _library()
    found = keras_act.inspect_model(args.model)
    print(found, file=out)
    return 0 if found.loads else 1


# ------------------------------------------------------------------ migrate


def _check_source_and_target(source, target, source_name, target_name, verb, force):
    """The safety `migrate` and `swap` share, checked before any work: the
    source exists and is never overwritten, the target is a `.keras` file
    that does not exist (or --force), in a directory that does: returned, to
    write the temporary file in."""
    if not os.path.exists(source):
        raise FileNotFoundError(f"no such file: {source}")
    if os.path.abspath(source) == os.path.abspath(target) or (
        os.path.exists(target) and os.path.samefile(source, target)
    ):
        raise UsageError(
            f"{target_name} must differ from {source_name} (the {source_name} file is never overwritten). "
            f"Received: {target}"
        )
    if not target.endswith(".keras"):
        raise UsageError(
            f"{target_name} must end in .keras (the {verb} model is saved as .keras). Received: {target}"
        )
    if os.path.exists(target) and not force:
        raise FileExistsError(f"{target} already exists; choose another name or pass --force to replace it")
    if os.path.isdir(target):
        raise IsADirectoryError(f"{target} is a directory")
    parent = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(parent):
        raise FileNotFoundError(f"the directory of {target_name} does not exist: {parent}")
    return parent


def cmd_migrate(args, out, err):
    old, new = args.old, args.new
    parent = _check_source_and_target(old, new, "OLD", "NEW", "migrated", args.force)
    _library()
    from keras_act.compat import tfa

    # Written under a temporary name in NEW's directory, then renamed: a
    # failed migration leaves no half-written NEW behind, and --force
    # replaces an old NEW only once the new one is complete.
    temporary = os.path.join(parent, f".{os.path.basename(new)}.{os.getpid()}.keras")
    try:
        # Non-finite weights load (they are data) and are reported below;
        # other warnings go on as they would have.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", tfa.NonFiniteWeightsWarning)
            rows = tfa.migrate(old, temporary, gelu_approximate=args.gelu_approximate)
        os.replace(temporary, new)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    if rows:
        print(_table(("where", "old", "new"), [tuple(str(c) for c in row) for row in rows]), file=out)
    else:
        print("nothing to rename: the model already loads in Keras 3", file=out)
    print(f"wrote {new}", file=out)
    for w in caught:
        if issubclass(w.category, tfa.NonFiniteWeightsWarning):
            print(f"{PROG}: warning: {_one_line(str(w.message).replace(temporary, new))}", file=err)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return 0


# --------------------------------------------------------------------- swap


def _mapping(pairs):
    mapping = {}
    for text in pairs:
        source, sep, target = text.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise UsageError(f"--map expects FROM=TO, e.g. --map swish=hard_swish_custom. Received: --map {text}")
        mapping[source.strip()] = target.strip()
    return mapping


def cmd_swap(args, out, err):
    source, target = args.model, args.new
    mapping = _mapping(args.map)
    parent = _check_source_and_target(source, target, "IN", "OUT", "swapped", args.force)
    from keras_act.inspection import read_config

    read_config(source)  # a missing, foreign or oversized file fails before Keras is imported
    keras_act = _library()
    model = keras_act.inspection.load_checked(source)
    report = keras_act.swap_activations(model, mapping, strict=False)
    if report.unreached and not args.partial:
        places = "; ".join(f"{p.path} ({p.where}: {p.old}: {p.reason})" for p in report.unreached)
        raise ValueError(
            f"{len(report.unreached)} place(s) still apply a mapped activation: {places}. Nothing written; "
            "pass --partial to write the partly swapped model"
        )
    if not report.swapped:
        raise ValueError(
            f"nothing to swap: {', '.join(report.unmatched)} matched nothing in {source} "
            f"(it uses: {', '.join(report.uses) or 'no activations'}). Nothing written"
        )
    # Written under a temporary name in OUT's directory, then renamed: a
    # failed save leaves no half-written OUT, and --force replaces an old
    # OUT only once the new one is complete.
    temporary = os.path.join(parent, f".{os.path.basename(target)}.{os.getpid()}.keras")
    try:
        report.model.save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    print(report, file=out)
    print(f"wrote {target}", file=out)
    return 0


# --------------------------------------------------------------------- main


def build_parser():
    parser = _Parser(
        prog=PROG, description="Activation functions for Keras 3: look them up, plot, compare, inspect, migrate, swap."
    )
    parser.add_argument(
        "--verbose", action="store_true",
        help=f"show TensorFlow's own messages on stderr (also {VERBOSE_ENV}=1); by default they are captured",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    sub.add_parser("list", help="every activation id and layer with its properties")

    p = sub.add_parser("info", help="formula, derivative, properties and reference of one id or layer")
    p.add_argument("id", metavar="ID")

    p = sub.add_parser("plot", help="draw activations (and derivatives) into a PNG (needs keras_act[plot])")
    p.add_argument("ids", metavar="ID", nargs="+")
    p.add_argument("--derivative", action="store_true", help="also draw f'(x)")
    p.add_argument("--out", required=True, metavar="FILE.png")
    p.add_argument("--x-min", type=float, default=-6.0)
    p.add_argument("--x-max", type=float, default=6.0)
    p.add_argument("--dpi", type=_positive_int, default=80)

    p = sub.add_parser(
        "compare", help="train the same network with each activation and compare (needs keras_act[data])"
    )
    p.add_argument("--activations", type=_id_list, required=True, metavar="ID,ID,...")
    p.add_argument("--dataset", choices=DATASETS, default="digits")
    p.add_argument("--depth", type=_positive_int, default=4, help="hidden layers (default 4)")
    p.add_argument("--width", type=_positive_int, default=64, help="units per hidden layer (default 64)")
    p.add_argument("--epochs", type=_positive_int, default=10, help="default 10")
    p.add_argument("--batch-size", type=_positive_int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="DIR", help="write training curves to DIR/compare.png (needs keras_act[plot])")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("inspect", help="the activations and keras_act layers a .keras model uses; does it load?")
    p.add_argument("model", metavar="MODEL.keras")

    p = sub.add_parser(
        "migrate", help="convert a tf.keras 2 / TensorFlow Addons model file into a Keras 3 .keras file"
    )
    p.add_argument("old", metavar="OLD", help="the old .h5 or .keras file (never modified)")
    p.add_argument("new", metavar="NEW.keras", help="the new file; must not exist unless --force")
    p.add_argument(
        "--gelu-approximate",
        action="store_true",
        help="read a plain 'gelu' as TensorFlow Addons' tanh approximation (a model built with tfa.activations.gelu)",
    )
    p.add_argument("--force", action="store_true", help="replace NEW if it exists")

    p = sub.add_parser("swap", help="replace activations in a .keras model (weights kept) and save it as another file")
    p.add_argument("model", metavar="IN.keras", help="the model (never modified)")
    p.add_argument("new", metavar="OUT.keras", help="the new file; must not exist unless --force")
    p.add_argument(
        "--map",
        action="append",
        required=True,
        metavar="FROM=TO",
        help="an activation name, keras_act id or layer class (keras.layers.ReLU) and what replaces it; repeatable",
    )
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.add_argument(
        "--partial",
        action="store_true",
        help="write OUT even where some places (set in code, Lambda layers) cannot be swapped; they are listed",
    )
    return parser


COMMANDS = {
    "list": cmd_list,
    "info": cmd_info,
    "plot": cmd_plot,
    "compare": cmd_compare,
    "inspect": cmd_inspect,
    "migrate": cmd_migrate,
    "swap": cmd_swap,
}


def _dispatch(argv: List[str], out: IO[str], err: IO[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args, out, err)
    except UsageError as e:
        print(f"{PROG}: error: {_one_line(e)} (see {PROG} --help)", file=err)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130
    except BrokenPipeError:
        # `keras-act list | head`: the reader left; say nothing more.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 141
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
    except (ValueError, TypeError, OSError, ImportError) as e:
        print(f"{PROG}: error: {_one_line(e)}", file=err)
        return 1
    except Exception as e:  # noqa: BLE001 - a command line prints no tracebacks
        print(f"{PROG}: error: {type(e).__name__}: {_one_line(e)}", file=err)
        _UNEXPECTED.append(e)
        return 1


# Errors no command expected (a bug, or a library failing underneath): main
# then keeps the file holding TensorFlow's and Python's messages.
_UNEXPECTED = []


@contextlib.contextmanager
def _native_stderr_captured():
    """Send file descriptor 2 to a temporary file; yield (a stream on the
    real stderr, the file's path).

    TensorFlow 2.21's C++ code logs to fd 2 at import and during training
    ("oneDNN custom operations are on", "Local rendezvous is aborting"), and
    TF_CPP_MIN_LOG_LEVEL does not stop all of it; Python warnings and absl
    logging go to sys.stderr, which writes to fd 2 too. Only what keras-act
    writes to the yielded stream reaches the user. Python's fault handler
    writes to the real stderr, so a segmentation fault or an abort (a
    failed check in TensorFlow's C++) still prints "Fatal Python error" and
    the Python stack; the file is removed after a clean run and kept (and
    named) after an unexpected error.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved = os.dup(2)
    fd, path = tempfile.mkstemp(prefix="keras-act-", suffix=".log")
    real = os.fdopen(os.dup(saved), "w", buffering=1, encoding=getattr(sys.stderr, "encoding", None) or "utf-8")
    os.dup2(fd, 2)
    os.close(fd)
    faulthandler.enable(file=real)
    keep = []
    try:
        yield real, path, keep
    finally:
        faulthandler.disable()
        try:
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        real.flush()
        os.dup2(saved, 2)
        os.close(saved)
        real.close()
        if not keep:
            os.remove(path)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status.

    With `argv` (a list of arguments, as the tests pass it) it runs in this
    process as it is and prints to sys.stdout and sys.stderr. Without, it is
    the `keras-act` process: it reads sys.argv and captures TensorFlow's
    native logging (see `_native_stderr_captured`) unless `--verbose` or
    KERAS_ACT_VERBOSE=1 asks to see it.
    """
    if argv is not None:
        return _dispatch(list(argv), sys.stdout, sys.stderr)
    argv = sys.argv[1:]
    verbose = "--verbose" in argv or os.environ.get(VERBOSE_ENV, "") not in ("", "0")
    if verbose:
        faulthandler.enable()
        return _dispatch([a for a in argv if a != "--verbose"], sys.stdout, sys.stderr)
    with _native_stderr_captured() as (err, path, keep):
        status = _dispatch(argv, sys.stdout, err)
        if _UNEXPECTED and os.path.getsize(path) > 0:
            keep.append(True)
            print(f"{PROG}: TensorFlow's and Python's messages of this run are in {path} "
                  f"(or run again with --verbose)", file=err)
        return status
