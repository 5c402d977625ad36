"""What ActivationHistogram costs per epoch, against the same `fit` without it.

    KERAS_BACKEND=tensorflow python benchmarks/histogram_overhead.py [--arch mlp|cnn] [--pairs 7]

Runs `--pairs` alternating pairs of trainings of the same model from the
same initial weights, one without the callback and one with it (the order
within a pair alternates, so drift in the machine's load falls on both
sides). Each run trains `--epochs` epochs; the first is left out (it
compiles the training step, and the probe model on the run with the
callback). An epoch's time runs from one `on_epoch_begin` to the next, so it
includes every callback's `on_epoch_end`. Reported: the median and
quartiles over the pairs of (median epoch with) - (median epoch without),
in milliseconds and as a percentage of the epoch, and the callback's own
`on_epoch_end` time measured directly.

Standalone: needs keras_act, TensorFlow (for the event files) and the
backend named by KERAS_BACKEND; writes its event files to a temporary
directory it deletes.
"""

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time

import keras
import numpy as np

import keras_act  # noqa: F401  (registers the ids)
from keras_act.diagnostics import ActivationHistogram


def build(arch, seed):
    keras.utils.set_random_seed(seed)
    if arch == "mlp":
        model = keras.Sequential(
            [keras.Input((64,))]
            + [keras.layers.Dense(256, activation="relu") for _ in range(4)]
            + [keras.layers.Dense(10)]
        )
    else:
        model = keras.Sequential(
            [
                keras.Input((32, 32, 3)),
                keras.layers.Conv2D(32, 3, activation="relu"),
                keras.layers.Conv2D(32, 3, activation="relu"),
                keras.layers.MaxPooling2D(),
                keras.layers.Conv2D(64, 3),
                keras.layers.ReLU(),
                keras.layers.GlobalAveragePooling2D(),
                keras.layers.Dense(10),
            ]
        )
    return model


def data(arch, samples):
    rng = np.random.default_rng(0)
    shape = (samples, 64) if arch == "mlp" else (samples, 32, 32, 3)
    return rng.normal(size=shape).astype("float32"), rng.integers(0, 10, size=(samples,))


class EpochClock(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.marks = []

    def on_epoch_begin(self, epoch, logs=None):
        self.marks.append(time.perf_counter())

    def on_train_end(self, logs=None):
        self.marks.append(time.perf_counter())

    def epochs(self):
        return np.diff(self.marks)


class Timed(ActivationHistogram):
    """ActivationHistogram that records how long its on_epoch_end takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seconds = []

    def on_epoch_end(self, epoch, logs=None):
        start = time.perf_counter()
        super().on_epoch_end(epoch, logs)
        self.seconds.append(time.perf_counter() - start)


def run(args, x, y, with_callback, log_dir):
    model = build(args.arch, seed=1)
    model.compile(
        "adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=args.jit_compile
    )
    clock = EpochClock()
    callbacks = [clock]
    histogram = None
    if with_callback:
        histogram = Timed(x[: args.probe], log_dir, bins=args.bins, pre_activations=args.pre_activations)
        callbacks.insert(0, histogram)
    model.fit(x, y, epochs=args.epochs, batch_size=args.batch_size, verbose=0, callbacks=callbacks)
    epochs = clock.epochs()[1:]  # the first epoch compiles
    own = histogram.seconds[1:] if histogram is not None else []
    return float(np.median(epochs)), own


def quartiles(values):
    q1, q2, q3 = np.percentile(values, [25, 50, 75])
    return float(q1), float(q2), float(q3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=("mlp", "cnn"), default="mlp")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=5, help="per run, the first one left out (default 5)")
    parser.add_argument("--samples", type=int, default=8192)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--probe", type=int, default=256, help="probe batch size (default 256)")
    parser.add_argument("--bins", type=int, default=30)
    parser.add_argument("--pre-activations", action="store_true")
    parser.add_argument("--jit-compile", default="auto", type=lambda s: {"true": True, "false": False}.get(s, s))
    parser.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    args = parser.parse_args(argv)

    x, y = data(args.arch, args.samples)
    log_dir = tempfile.mkdtemp(prefix="histogram_overhead_")
    differences, fractions, own, without = [], [], [], []
    try:
        for pair in range(args.pairs):
            order = (False, True) if pair % 2 == 0 else (True, False)
            times = {}
            for with_callback in order:
                times[with_callback], seconds = run(args, x, y, with_callback, os.path.join(log_dir, str(pair)))
                own += seconds
            without.append(times[False])
            differences.append(times[True] - times[False])
            fractions.append((times[True] - times[False]) / times[False])
            print(
                f"pair {pair + 1}/{args.pairs}: epoch {times[False] * 1e3:.1f} ms without, "
                f"{times[True] * 1e3:.1f} ms with", flush=True
            )
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)

    q = quartiles(np.array(differences) * 1e3)
    f = quartiles(np.array(fractions) * 100)
    o = quartiles(np.array(own) * 1e3)
    result = {
        "backend": keras.backend.backend(),
        "arch": args.arch,
        "jit_compile": args.jit_compile,
        "samples": args.samples,
        "batch_size": args.batch_size,
        "probe": args.probe,
        "bins": args.bins,
        "pre_activations": args.pre_activations,
        "pairs": args.pairs,
        "overhead_ms": {"q1": q[0], "median": q[1], "q3": q[2]},
        "overhead_percent": {"q1": f[0], "median": f[1], "q3": f[2]},
        "on_epoch_end_ms": {"q1": o[0], "median": o[1], "q3": o[2]},
        "epoch_ms_without": statistics.median(without) * 1e3,
    }
    print(
        f"\n{result['backend']} {args.arch} (jit_compile={args.jit_compile}), {args.samples} samples, "
        f"probe {args.probe}, {args.bins} bins, {args.pairs} pairs:\n"
        f"  epoch without the callback: median {result['epoch_ms_without']:.1f} ms\n"
        f"  overhead per epoch: median {q[1]:.1f} ms (quartiles {q[0]:.1f} .. {q[2]:.1f}), "
        f"{f[1]:.1f}% of an epoch (quartiles {f[0]:.1f} .. {f[2]:.1f})\n"
        f"  the callback's on_epoch_end itself: median {o[1]:.1f} ms (quartiles {o[0]:.1f} .. {o[2]:.1f})"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f_out:
            json.dump(result, f_out, indent=2)
    return result


if __name__ == "__main__":
    main()
