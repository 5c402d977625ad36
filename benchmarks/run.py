"""Run the benchmark and write benchmarks/RESULTS.md and the backend's results file.

    make benchmark                                  # the three backends in turn (see NOTES.md for the time)
    KERAS_BACKEND=tensorflow python -m benchmarks.run   # one backend's full run
    KERAS_BACKEND=jax python -m benchmarks.run
    KERAS_BACKEND=torch python -m benchmarks.run
    python -m benchmarks.run --quick                # tiny sizes, a few rows: checks the code (a minute or two)
    python -m benchmarks.run --quick --rows all     # every case at tiny sizes (many minutes)

Each backend writes its own results file (results.json for TensorFlow,
results_jax.json, results_torch.json) and RESULTS.md is rendered from every
results file present, a section per backend, and from export.json, which the
TensorFlow run writes (benchmarks/export.py: ONNX and LiteRT). A run times,
in each of the backend's modes and at each size: every id and layer against
Keras's built-in (elementwise), real model shapes in model.fit's default
mode (models), every case's training step on an MLP (training), and on
TensorFlow the training step's peak memory (memory) and the export check.

Options narrow a run for development: --rows mish_custom,gelu_custom,
--skip training,memory,export, --pairs 9, --shape 1024,1024 (repeatable),
--models "cnn: relu_custom", --out-dir /tmp/bench.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from benchmarks.machine import load, machine_info  # noqa: E402

FULL = {"shapes": ((256, 256), (4096, 1024)), "pairs": 7, "batch": 256, "cnn_batch": 64, "size": 32,
        "mlp_depth": 4, "mem_depth": 16, "mem_width": 512, "mem_batch": 1024, "mem_repeats": 3,
        "models": {"transformer": {"seq": 64, "d_model": 128, "heads": 4, "ff": 512, "batch": 32},
                   "cnn": {"size": 32, "batch": 64}}}
QUICK = {"shapes": ((8, 64), (16, 64)), "pairs": 3, "batch": 8, "cnn_batch": 4, "size": 8, "mlp_depth": 2,
         "mem_depth": 3, "mem_width": 16, "mem_batch": 8, "mem_repeats": 1,
         "models": {"transformer": {"seq": 8, "d_model": 16, "heads": 2, "ff": 32, "batch": 4},
                    "cnn": {"size": 8, "batch": 4}}}
PHASES = ("elementwise", "models", "training", "memory", "export")
# What --quick times unless --rows says otherwise (--rows all: every case):
# a built-in with a torch.nn counterpart, a GLU (its output halves the
# axis), a layer with a weight; one real model per family.
QUICK_ROWS = {"mish_custom", "swiglu_custom", "layers.PReLU"}
QUICK_MODELS = {"transformer SwiGLU: swiglu_custom", "cnn: layers.PReLU"}


def _command(quick, backend, shapes, pairs):
    opts = " --quick" if quick else ""
    opts += "".join(f" --shape {s[0]},{s[1]}" for s in shapes or ())
    opts += f" --pairs {pairs}" if pairs else ""
    command = f"KERAS_BACKEND={backend} python -m benchmarks.run{opts}"
    return command + (" (part of make benchmark)" if not opts else "")


def run(quick=False, rows=None, skip=(), pairs=None, out_dir=None, load_note="", log=print, shapes=None,
        archs=("mlp",), models=None, compile_rows=None):
    """Run the benchmark on Keras's backend; return the results dict (also written to out_dir).

    `rows` narrows the cases (and the export check) by name, `models` the
    real-model rows, `shapes` replaces the two elementwise sizes.
    """
    import keras

    from benchmarks import catalog, elementwise, export, layer_cases, memory, report, training

    start = time.time()
    backend = keras.backend.backend()
    cfg = dict(QUICK if quick else FULL)
    if pairs:
        cfg["pairs"] = pairs
    if shapes:
        cfg["shapes"] = tuple(tuple(s) for s in shapes)
    compile_rows = compile_rows or elementwise.COMPILE_ROWS
    machine = machine_info()
    all_cases = catalog.all_cases()
    if rows:
        all_cases = [c for c in all_cases if c.name in rows]
    model_cfg = {family: dict(kw) for family, kw in cfg["models"].items()}
    results = {
        "backend": backend,
        "machine": machine,
        "config": {
            "command": _command(quick, backend, shapes, pairs),
            "modes": list(elementwise.backend_modes()),
            "shapes": [list(s) for s in cfg["shapes"]],
            "shape": list(cfg["shapes"][-1]),
            "elements": [s[0] * s[1] for s in cfg["shapes"]],
            "pairs": cfg["pairs"],
            "compile_rows": compile_rows if "compile" in elementwise.backend_modes() else None,
            "load_note": load_note or "not given",
            "models": model_cfg,
            "training": {"batch": cfg["batch"], "cnn_batch": cfg["cnn_batch"], "size": cfg["size"],
                         "mlp_depth": cfg["mlp_depth"], "archs": list(archs)},
            "memory": {"depth": cfg["mem_depth"], "width": cfg["mem_width"], "batch": cfg["mem_batch"]},
        },
        "noise": [],
        "elementwise": [],
        "models": [],
        "training": [],
        "memory": [],
        "memory_note": None,
        "layers_jit": layer_cases.supports_jit(),
        "notes": [],
    }
    if "elementwise" not in skip:
        for shape in cfg["shapes"]:
            results["noise"] += elementwise.noise_rows(shape, cfg["pairs"])
            for i, case in enumerate(all_cases):
                t = time.time()
                results["elementwise"] += elementwise.bench_case(case, shape, cfg["pairs"], compile_rows=compile_rows)
                log(f"[{i + 1}/{len(all_cases)}] {case.name} {shape}: {time.time() - t:.0f} s")
            _checkpoint(results, out_dir)
    if "models" not in skip:
        results["models"] = training.bench_models(cfg["pairs"], model_cfg, rows=models, log=log)
        log(f"models: done at {time.time() - start:.0f} s")
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
    machine["load_end"] = load()
    results["elapsed_s"] = time.time() - start
    report.annotate(results)
    results["notes"] = _notes(backend)
    exports = None
    if "export" not in skip and backend == "tensorflow":
        t = time.time()
        export_rows = rows if rows else (set(export.QUICK) if quick else None)
        exports = export.run(rows=export_rows, out_dir=out_dir, log=log)
        log(f"export: done in {time.time() - t:.0f} s")
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        report.write_json(results, os.path.join(out_dir, report.RESULTS_FILES[backend]))
        all_results = report.load_all(out_dir)
        all_results[backend] = results
        exports = exports or report.load_export(out_dir)
        report.write_markdown(all_results, os.path.join(out_dir, "RESULTS.md"), exports, _export_labels(exports))
        partial = os.path.join(out_dir, "results.partial.json")
        if os.path.exists(partial):
            os.remove(partial)
    return results


def _export_labels(exports):
    if not exports:
        return None
    from benchmarks import export

    return export.reference_labels()


def _checkpoint(results, out_dir):
    # A partial results file survives a crash or a kill in a later phase.
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
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes and a few rows (QUICK_ROWS, QUICK_MODELS): checks the code in a minute "
                             "or two, times nothing useful")
    parser.add_argument("--rows", help="comma-separated case names, or all (default: every id and layer; "
                                       "with --quick, QUICK_ROWS)")
    parser.add_argument("--skip", default="", help=f"comma-separated: {','.join(PHASES)}")
    parser.add_argument("--pairs", type=int, help="A/B pairs per comparison (default 7)")
    parser.add_argument("--archs", default="mlp", help="per-case training-step models: mlp (default), cnn")
    parser.add_argument("--models", help="real-model rows by name, separated by ';' (default: all)")
    parser.add_argument("--shape", action="append",
                        help="elementwise tensor shape, e.g. 1024,1024; repeat for several "
                             "(default 256,256 and 4096,1024)")
    parser.add_argument("--compile-rows", choices=("builtin", "all"),
                        help="cases torch.compile times (default builtin: the ids with a Keras built-in)")
    parser.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--load-note", default="", help="a sentence on the machine's load during the run")
    parser.add_argument("--rerender", action="store_true",
                        help="only rewrite RESULTS.md from the results files and NOTES.md (no timing)")
    args = parser.parse_args(argv)
    if args.rerender:
        from benchmarks import report

        exports = report.load_export(args.out_dir)
        report.rerender(args.out_dir, notes_by_backend={b: _notes(b) for b in report.RESULTS_FILES},
                        export_labels=_export_labels(exports))
        print(f"rewrote {os.path.join(args.out_dir, 'RESULTS.md')}")
        return
    import keras

    rows = set(args.rows.split(",")) if args.rows else (set(QUICK_ROWS) if args.quick else None)
    if rows == {"all"}:
        rows = None
    skip = set(filter(None, args.skip.split(",")))
    unknown = skip - set(PHASES)
    if unknown:
        parser.error(f"--skip takes {', '.join(PHASES)}. Received: {','.join(sorted(unknown))}.")

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    shapes = [tuple(int(n) for n in s.split(",")) for s in args.shape] if args.shape else None
    models = set(args.models.split(";")) if args.models else (set(QUICK_MODELS) if args.quick else None)
    run(quick=args.quick, rows=rows, skip=skip, pairs=args.pairs, out_dir=args.out_dir,
        load_note=args.load_note, log=log, shapes=shapes, archs=args.archs.split(","), models=models,
        compile_rows=args.compile_rows)
    from benchmarks import report

    name = report.RESULTS_FILES[keras.backend.backend()]
    print(f"wrote {os.path.join(args.out_dir, name)} and {os.path.join(args.out_dir, 'RESULTS.md')}")


if __name__ == "__main__":
    main()
