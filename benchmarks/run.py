"""Run the benchmark and write benchmarks/RESULTS.md and results.json.

    python -m benchmarks.run            # the full run (about 25 minutes on 2 cores)
    python -m benchmarks.run --quick    # tiny sizes, seconds: checks the code
    KERAS_BACKEND=jax python -m benchmarks.run     # the same on JAX (jax.jit)
    KERAS_BACKEND=torch python -m benchmarks.run   # and on torch (eager)

Each backend writes its own results file (results.json for TensorFlow,
results_jax.json, results_torch.json) and RESULTS.md is rendered from every
results file present, a section per backend. Peak memory is measured on
TensorFlow only (its allocator's statistics).

Options narrow a run for development: --rows mish_custom,gelu_custom,
--skip training,memory, --pairs 9, --shape 1024,1024, --out-dir /tmp/bench.
"""

import argparse
import datetime
import os
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

FULL = {"shape": (4096, 1024), "pairs": 7, "batch": 256, "cnn_batch": 64, "size": 32, "mlp_depth": 4,
        "mem_depth": 16, "mem_width": 512, "mem_batch": 1024, "mem_repeats": 3}
QUICK = {"shape": (8, 64), "pairs": 3, "batch": 8, "cnn_batch": 4, "size": 8, "mlp_depth": 2,
         "mem_depth": 3, "mem_width": 16, "mem_batch": 8, "mem_repeats": 1}


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _load():
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def _version(package):
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info():
    import keras
    import numpy as np

    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "backend": keras.backend.backend(),
        "tensorflow": _version("tensorflow"),
        "jax": _version("jax"),
        "keras": keras.__version__,
        "numpy": np.__version__,
        "torch": _version("torch"),
        "keras_act": os.path.dirname(__import__("keras_act").__file__),
        "load_start": _load(),
    }


def _command(quick, backend, shape, pairs):
    if not quick and backend == "tensorflow" and not shape and not pairs:
        return "make benchmark"
    env = "" if backend == "tensorflow" else f"KERAS_BACKEND={backend} "
    opts = " --quick" if quick else ""
    opts += f" --shape {shape[0]},{shape[1]}" if shape else ""
    opts += f" --pairs {pairs}" if pairs else ""
    return f"{env}python -m benchmarks.run{opts}"


def run(quick=False, rows=None, skip=(), pairs=None, out_dir=None, load_note="", log=print, shape=None,
        archs=("mlp", "cnn")):
    """Run the benchmark on Keras's backend; return the results dict (also written to out_dir)."""
    import keras

    from benchmarks import cases as cases_mod
    from benchmarks import elementwise, memory, report, training

    start = time.time()
    backend = keras.backend.backend()
    cfg = dict(QUICK if quick else FULL)
    if pairs:
        cfg["pairs"] = pairs
    if shape:
        cfg["shape"] = tuple(shape)
    machine = machine_info()
    all_cases = cases_mod.all_cases()
    if rows:
        all_cases = [c for c in all_cases if c.name in rows]
    results = {
        "backend": backend,
        "machine": machine,
        "config": {
            "command": _command(quick, backend, shape, pairs),
            "modes": list(elementwise.backend_modes()),
            "shape": list(cfg["shape"]),
            "elements": cfg["shape"][0] * cfg["shape"][1],
            "pairs": cfg["pairs"],
            "load_note": load_note or "not given",
            "training": {"batch": cfg["batch"], "cnn_batch": cfg["cnn_batch"], "size": cfg["size"],
                         "mlp_depth": cfg["mlp_depth"]},
            "memory": {"depth": cfg["mem_depth"], "width": cfg["mem_width"], "batch": cfg["mem_batch"]},
        },
        "noise": [],
        "elementwise": [],
        "training": [],
        "memory": [],
        "memory_note": None,
        "layers_jit": cases_mod.layers_supports_jit(),
        "notes": [],
    }
    if "elementwise" not in skip:
        results["noise"] = elementwise.noise_rows(cfg["shape"], cfg["pairs"])
        for i, case in enumerate(all_cases):
            t = time.time()
            results["elementwise"] += elementwise.bench_case(case, cfg["shape"], cfg["pairs"])
            log(f"[{i + 1}/{len(all_cases)}] {case.name}: {time.time() - t:.0f} s")
        _checkpoint(results, out_dir)
    if "training" not in skip:
        results["training"] = training.bench_training(
            all_cases, cfg["pairs"], batch=cfg["batch"], size=cfg["size"], archs=tuple(archs),
            arch_kwargs={"mlp": {"depth": cfg["mlp_depth"]}}, cnn_batch=cfg["cnn_batch"], log=log,
        )
        log(f"training step: done at {time.time() - start:.0f} s")
        _checkpoint(results, out_dir)
    if "memory" not in skip and backend != "tensorflow":
        results["memory_note"] = (
            f"Not measured on {backend}: the measurement reads TensorFlow's BFC allocator statistics, and "
            "neither JAX nor torch reports a CPU allocation peak.")
    elif "memory" not in skip:
        names = [c.name for c in all_cases if c.training and c.training[1] is not None and c.in_training]
        results["memory"] = memory.run_in_subprocess(
            names, depth=cfg["mem_depth"], width=cfg["mem_width"], batch=cfg["mem_batch"],
            repeats=cfg["mem_repeats"],
        )
        log(f"memory: done at {time.time() - start:.0f} s")
    machine["load_end"] = _load()
    results["elapsed_s"] = time.time() - start
    report.annotate(results)
    results["notes"] = _notes(backend)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        report.write_json(results, os.path.join(out_dir, report.RESULTS_FILES[backend]))
        all_results = report.load_all(out_dir)
        all_results[backend] = results
        report.write_markdown(all_results, os.path.join(out_dir, "RESULTS.md"))
        partial = os.path.join(out_dir, "results.partial.json")
        if os.path.exists(partial):
            os.remove(partial)
    return results


def _checkpoint(results, out_dir):
    # A partial results.json survives a crash or a kill in a later phase.
    if out_dir:
        from benchmarks import report

        os.makedirs(out_dir, exist_ok=True)
        report.write_json(results, os.path.join(out_dir, "results.partial.json"))


NOTES_HEADINGS = {"## TensorFlow": "tensorflow", "## JAX": "jax", "## PyTorch": "torch"}


def _notes(backend):
    """Explanations of one backend's misses, from its section of benchmarks/NOTES.md.

    Bullets before the first backend heading are TensorFlow's.
    """
    path = os.path.join(os.path.dirname(__file__), "NOTES.md")
    if not os.path.exists(path):
        return []
    section, notes = "tensorflow", []
    with open(path) as f:
        for line in f:
            if line.startswith("## "):
                section = NOTES_HEADINGS.get(line.strip(), line.strip())
            elif line.startswith("- ") and section == backend:
                notes.append(line[2:].strip())
    return notes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the code, times nothing useful")
    parser.add_argument("--rows", help="comma-separated case names (default: every id and layer)")
    parser.add_argument("--skip", default="", help="comma-separated: elementwise,training,memory")
    parser.add_argument("--pairs", type=int, help="A/B pairs per comparison (default 7)")
    parser.add_argument("--archs", default="mlp,cnn", help="training-step models (default mlp,cnn)")
    parser.add_argument("--shape", help="elementwise tensor shape, e.g. 1024,1024 (default 4096,1024)")
    parser.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--load-note", default="", help="a sentence on the machine's load during the run")
    parser.add_argument("--rerender", action="store_true",
                        help="only rewrite RESULTS.md from results.json and NOTES.md (no timing)")
    args = parser.parse_args(argv)
    if args.rerender:
        from benchmarks import report

        report.rerender(args.out_dir, notes_by_backend={b: _notes(b) for b in report.RESULTS_FILES})
        print(f"rewrote {os.path.join(args.out_dir, 'RESULTS.md')}")
        return
    import keras

    rows = set(args.rows.split(",")) if args.rows else None
    skip = set(filter(None, args.skip.split(",")))

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    shape = tuple(int(n) for n in args.shape.split(",")) if args.shape else None
    run(quick=args.quick, rows=rows, skip=skip, pairs=args.pairs, out_dir=args.out_dir,
        load_note=args.load_note, log=log, shape=shape, archs=args.archs.split(","))
    from benchmarks import report

    name = report.RESULTS_FILES[keras.backend.backend()]
    print(f"wrote {os.path.join(args.out_dir, name)} and {os.path.join(args.out_dir, 'RESULTS.md')}")


if __name__ == "__main__":
    main()
