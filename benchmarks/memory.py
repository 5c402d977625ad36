"""Peak memory of one training step of a deep MLP, in a separate process.

`run_in_subprocess` starts `python -m benchmarks.memory` with TensorFlow's
BFC CPU allocator (TF_CPU_ALLOCATOR_USE_BFC=true), whose statistics
`tf.config.experimental.get_memory_info` reads and resets. Each measurement:
reset the peak, run one `train_on_batch` of an already compiled model, and
take peak minus the bytes in use before the step: the step's own working
memory (activations kept for backward, gradients, temporaries).
keras_act and the built-in are measured alternately, three times each.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def _measure(model, x, y):
    import tensorflow as tf

    tf.config.experimental.reset_memory_stats("CPU:0")
    before = tf.config.experimental.get_memory_info("CPU:0")["current"]
    model.train_on_batch(x, y)
    return tf.config.experimental.get_memory_info("CPU:0")["peak"] - before


def worker(names, depth, width, batch, repeats, jit_modes):
    import keras

    from benchmarks import catalog
    from benchmarks import training

    by_name = {c.name: c for c in catalog.all_cases()}
    rows = []
    for name in names:
        subject, reference = by_name[name].training
        for jit in jit_modes:
            built = {}
            for label, act in (("keras_act", subject), ("builtin", reference)):
                keras.utils.set_random_seed(0)
                model = training.mlp(act, width=width, depth=depth)
                model.compile(
                    optimizer=keras.optimizers.SGD(0.01),
                    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    jit_compile=jit,
                )
                x, y = training._data(model, batch)
                model.train_on_batch(x, y)
                built[label] = (model, x, y)
            peaks = {"keras_act": [], "builtin": []}
            for i in range(repeats):
                order = ("keras_act", "builtin") if i % 2 == 0 else ("builtin", "keras_act")
                for label in order:
                    peaks[label].append(_measure(*built[label]))
            a = statistics.median(peaks["keras_act"])
            b = statistics.median(peaks["builtin"])
            rows.append({
                "row": name,
                "jit_compile": "auto" if jit == "auto" else bool(jit),
                "xla_used": bool(built["keras_act"][0].jit_compile),
                "mib": {"keras_act": round(a / 2**20, 2), "builtin": round(b / 2**20, 2)},
                "ratio": a / b if b > 0 else float("nan"),
            })
            del built
            keras.backend.clear_session()
    return rows


def run_in_subprocess(names, depth=16, width=512, batch=1024, repeats=3, jit_modes=("auto",), timeout=1200):
    """Measure `names` (case names with a reference) in a fresh process."""
    env = dict(os.environ, TF_CPU_ALLOCATOR_USE_BFC="true", TF_CPP_MIN_LOG_LEVEL="2")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "memory.json")
        args = [
            sys.executable, "-m", "benchmarks.memory", "--out", out, "--depth", str(depth),
            "--width", str(width), "--batch", str(batch), "--repeats", str(repeats),
            "--jit", ",".join("auto" if j == "auto" else str(j) for j in jit_modes), "--", *names,
        ]
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        proc = subprocess.run(args, env=env, cwd=root, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"memory worker failed:\n{proc.stderr[-4000:]}")
        with open(out) as f:
            return json.load(f)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--depth", type=int, default=16)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jit", default="auto,False")
    parser.add_argument("names", nargs="+")
    args = parser.parse_args(argv)
    jit_modes = [{"auto": "auto", "False": False, "True": True}[j] for j in args.jit.split(",")]
    rows = worker(args.names, args.depth, args.width, args.batch, args.repeats, jit_modes)
    with open(args.out, "w") as f:
        json.dump(rows, f)


if __name__ == "__main__":
    main()
