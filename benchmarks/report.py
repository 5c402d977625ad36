"""Goals, verdicts and the RESULTS.md / results.json writers."""

import json
import math
import os

PASS, NOISE, MISS = "pass", "noise", "miss"
MARK = {PASS: "pass", NOISE: "miss (noise)", MISS: "**miss**"}

# Against a Keras built-in, "consistently slower" is a lower quartile of the
# pair ratios above 1.05 (issue 16): a median just above the goal with a
# lower quartile at or below this is noise.
CONSISTENTLY_SLOWER = 1.05
BUILTIN_GOAL = 1.00
FUSED_GOAL = 0.80
KIN_GOAL = 1.20
COPY_GOAL = 1.15
MODEL_GOAL = 1.02

# One results file per Keras backend, one section of RESULTS.md each; the
# export check (TensorFlow) has its own file and section.
RESULTS_FILES = {"tensorflow": "results.json", "jax": "results_jax.json", "torch": "results_torch.json"}
EXPORT_FILE = "export.json"
BACKEND_TITLES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
MODE_LABELS = {"eager": "eager", "function": "tf.function", "xla": "xla", "jit": "jax.jit",
               "compile": "torch.compile"}
MODE_TEXT = {
    "tensorflow": "Modes: eager, tf.function, tf.function(jit_compile=True).",
    "jax": "Mode: jax.jit (XLA), JAX's compiler; forward+backward is jax.vjp under the same jit.",
    "torch": ("Modes: eager (Keras's torch backend runs eagerly by default) and torch.compile (what Keras's "
              "jit_compile=True does on torch): forward is the compiled function under torch.no_grad, "
              "forward+backward the compiled forward then torch.autograd.grad (AOTAutograd compiles the backward)."),
}
TRAINING_TEXT = {
    "tensorflow": ["Keras's default `jit_compile=\"auto\"` picks no XLA on a",
                   "CPU-only machine (the XLA column says what it picked): graph mode, as model.fit."],
    "jax": ["On JAX Keras compiles the train and predict steps with jax.jit (XLA)."],
    "torch": ["On torch Keras runs the train and predict steps eagerly (no compilation) by default."],
}

GOAL_NOTES = {
    "jax": ["On JAX only compiled code (jax.jit) is timed, so the eager 0.80 goal does not arise, and the",
            "piecewise-linear copy goal applies to jax.jit forward. Peak memory is TensorFlow-only."],
    "torch": ["On torch the 0.80 goal applies in eager mode where Keras's torch backend composes the built-in",
              "(mish, squareplus, sparse_plus, sparse_sigmoid, sparsemax) and keras_act runs its own composition;",
              "its other built-ins are one ATen kernel with its own backward, so <= 1.00 there. No copy goal",
              "under torch.compile (no copy column there). Peak memory is TensorFlow-only."],
}


def verdict(ratio, target, miss_above=None):
    """pass: median <= target; noise: median above it but the lower quartile
    of the pair ratios at or below `miss_above` (default: the target);
    miss: the lower quartile too is above it (consistently slower)."""
    miss_above = target if miss_above is None else miss_above
    if not math.isfinite(ratio["median"]):
        return MISS
    if ratio["median"] <= target:
        return PASS
    if ratio["q1"] <= miss_above:
        return NOISE
    return MISS


def size_label(shape):
    """'64K', '4M' or the element count, for a tensor shape."""
    n = math.prod(shape)
    if n >= 2**20 and n % 2**20 == 0:
        return f"{n // 2**20}M"
    if n >= 2**10 and n % 2**10 == 0:
        return f"{n // 2**10}K"
    return str(n)


def _shape(row, results):
    return tuple(row.get("shape") or results["config"]["shape"])


def elementwise_goals(row):
    """[(reference, target, miss_above, goal text)] for one elementwise row."""
    goals = []
    kind = row["reference_kind"]
    if kind == "builtin":
        lean = row.get("lean_gradient", row["composed"])
        if lean and row["mode"] == "eager" and row["pass"] == "forward+backward":
            goals.append(("builtin", FUSED_GOAL, FUSED_GOAL,
                          "lean gradient: eager fwd+bwd <= 0.80 of the composed built-in"))
        else:
            goals.append(("builtin", BUILTIN_GOAL, CONSISTENTLY_SLOWER, "<= 1.00 of the built-in"))
    elif kind == "kin":
        goals.append(("kin", KIN_GOAL, KIN_GOAL, "<= 1.20 of the closest built-in"))
    if (row["piecewise_linear"] and row["mode"] in ("xla", "jit") and row["pass"] == "forward"
            and "copy" in row["ratios"]):
        goals.append(("copy", COPY_GOAL, COPY_GOAL, "piecewise-linear: XLA forward <= 1.15 of a copy"))
    return goals


def training_goals(row):
    if row["reference"] is None:
        return []
    if row["reference_kind"] == "kin":
        return [("builtin", KIN_GOAL, KIN_GOAL, "<= 1.20 of the closest built-in")]
    return [("builtin", BUILTIN_GOAL, CONSISTENTLY_SLOWER, "<= 1.00 of the built-in")]


def model_goals(row):
    if row.get("control"):
        return []
    return [("builtin", MODEL_GOAL, CONSISTENTLY_SLOWER, f"{row['step']} step <= 1.02 of Keras's model")]


def memory_goal(row, composed):
    return 0.90 if composed else 1.00


def _judge(row, goals):
    row["goals"] = []
    for ref, target, miss_above, text in goals:
        v = verdict(row["ratios"][ref], target, miss_above)
        row["goals"].append({"reference": ref, "target": target, "miss_above": miss_above, "goal": text,
                             "verdict": v})
        if v != PASS:
            yield text, row["ratios"][ref]["median"], v


def annotate(results):
    """Add a "goals" list with verdicts to every row; return the misses."""
    misses = []
    composed = {r["row"] for r in results["elementwise"] if r["composed"]}
    for row in results["elementwise"]:
        where = f"{row['row']} [{MODE_LABELS.get(row['mode'], row['mode'])}, {row['pass']}, " \
                f"{size_label(_shape(row, results))}]"
        misses += [(where, *miss) for miss in _judge(row, elementwise_goals(row))]
    for row in results.get("models", []):
        misses += [(f"{row['row']} [{row['step']}]", *miss) for miss in _judge(row, model_goals(row))]
    for row in results["training"]:
        misses += [(f"{row['row']} [training step, {row['arch']}]", *miss)
                   for miss in _judge(row, training_goals(row))]
    for row in results["memory"]:
        target = memory_goal(row, row["row"] in composed)
        # The allocator's peaks move by about 1% between identical runs.
        v = PASS if row["ratio"] <= target else (NOISE if row["ratio"] <= target + 0.02 else MISS)
        row["goal"] = {"target": target, "verdict": v}
        if v != PASS:
            misses.append((f"{row['row']} [peak memory, jit_compile={row['jit_compile']}]",
                           f"<= {target:.2f} of the built-in", row["ratio"], v))
    return misses


def _cell(row, ref):
    ratio = row["ratios"].get(ref)
    if ratio is None:
        return ""
    text = f"{ratio['median']:.2f}"
    for goal in row.get("goals", []):
        if goal["reference"] == ref:
            text += f" {MARK[goal['verdict']]}"
    return text


def write_json(results, path):
    with open(path, "w") as f:
        json.dump(results, f, indent=1, sort_keys=False)


def load_all(out_dir):
    """backend -> results dict, for every results file present in out_dir."""
    found = {}
    for backend, name in RESULTS_FILES.items():
        path = os.path.join(out_dir, name)
        if os.path.exists(path):
            with open(path) as f:
                found[backend] = json.load(f)
    return found


def load_export(out_dir):
    path = os.path.join(out_dir, EXPORT_FILE)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def rerender(out_dir, notes_by_backend=None, export_labels=None):
    """Write RESULTS.md again from the results files (e.g. after editing NOTES.md)."""
    all_results = load_all(out_dir)
    for backend, results in all_results.items():
        if notes_by_backend is not None:
            results["notes"] = notes_by_backend.get(backend, [])
        annotate(results)
        write_json(results, os.path.join(out_dir, RESULTS_FILES[backend]))
    write_markdown(all_results, os.path.join(out_dir, "RESULTS.md"), load_export(out_dir), export_labels)


def write_markdown(all_results, path, exports=None, export_labels=None):
    """RESULTS.md: one section per backend, TensorFlow first, then the export check."""
    lines = [
        "# keras_act benchmark results",
        "",
        "One section per Keras backend, each from its own run (`KERAS_BACKEND=<backend> python -m benchmarks.run`;",
        "`make benchmark` runs the three in turn) and its own results file: " + ", ".join(
            f"{BACKEND_TITLES[b]} [{RESULTS_FILES[b]}]({RESULTS_FILES[b]})" for b in all_results) + "."
        + (f" The export check: [{EXPORT_FILE}]({EXPORT_FILE})." if exports else ""),
        "Ratios compare keras_act with the same backend's Keras built-in, never one backend with another.",
        "",
    ]
    for backend in RESULTS_FILES:
        if backend in all_results:
            results = all_results[backend]
            misses = annotate(results)
            lines += ["#" + line if line.startswith("#") else line for line in backend_markdown(results, misses)]
    if exports:
        lines += ["#" + line if line.startswith("#") else line for line in export_markdown(exports, export_labels)]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def _shapes(results):
    c = results["config"]
    shapes = [tuple(s) for s in c.get("shapes") or [c["shape"]]]
    present = {_shape(r, results) for r in results["elementwise"]} | {_shape(r, results) for r in results["noise"]}
    return [s for s in shapes if s in present] or shapes


def backend_markdown(results, misses):
    """One backend's section, as lines (its headings one level up)."""
    m = results["machine"]
    c = results["config"]
    backend = results.get("backend", "tensorflow")
    versions = ", ".join(f"{label} {m[key]}" for key, label in (
        ("tensorflow", "TensorFlow"), ("jax", "JAX"), ("keras", "Keras"), ("numpy", "numpy"), ("torch", "PyTorch"))
        if m.get(key))
    shapes = _shapes(results)
    lines = [
        f"# {BACKEND_TITLES[backend]}",
        "",
        f"Generated by `{c['command']}` on {m['date']} (took {results['elapsed_s'] / 60:.1f} min).",
        "Ratios are keras_act / reference: the median of per-pair ratios, A and B timed alternately in",
        f"one process ({c['pairs']} pairs after warm-up); below 1 means keras_act is faster. Raw times,",
        f"quartiles and every pair ratio are in [{RESULTS_FILES[backend]}]({RESULTS_FILES[backend]}).",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']} ({m['cores']} cores visible to the process)",
        f"- Keras backend: {backend}. Python {m['python']}, {versions}",
        f"- Load average (1, 5, 15 min) at start / end: {m['load_start']} / {m.get('load_end', 'n/a')}",
        f"- Load note: {c['load_note']}",
        "",
        "## Noise floor",
        "",
        "Keras's relu against itself (A/A), forward, same tensor, per mode and size: how far a ratio of",
        "identical work strays.",
        "",
        "| mode | size | median | q1 | q3 |",
        "|---|---|---|---|---|",
    ]
    for row in results["noise"]:
        r = row["ratio"]
        shape = _shape(row, results)
        lines.append(f"| {MODE_LABELS.get(row['mode'], row['mode'])} | {size_label(shape)} {shape} | "
                     f"{r['median']:.3f} | {r['q1']:.3f} | {r['q3']:.3f} |")
    counts = {PASS: 0, NOISE: 0, MISS: 0}
    for row in results["elementwise"] + results["training"] + results.get("models", []):
        for g in row.get("goals", []):
            counts[g["verdict"]] += 1
    for row in results["memory"]:
        counts[row["goal"]["verdict"]] += 1
    lines += [
        "",
        "## Summary",
        "",
        f"{counts[PASS]} goals pass, {counts[NOISE]} miss within the noise, {counts[MISS]} miss outright.",
        "",
        "Verdicts: **pass** = median <= goal; **miss (noise)** = median above the goal but not consistently",
        "slower; **miss** = consistently slower: the lower quartile of the pair ratios above 1.05 for the goals",
        "against a Keras built-in (<= 1.00, and the models' <= 1.02), above the goal itself for the others.",
        "",
        "Goals (issue 16): every id with a Keras built-in, in every mode, pass and size: median <= 1.00 of it",
        "and never consistently slower; where Keras composes the built-in on this backend and keras_act runs",
        "its own lean gradient: eager forward+backward <= 0.80 (TensorFlow and torch) and training-step peak",
        "memory <= 0.90; a training and a predict step of real model shapes in model.fit's default mode: <= 1.02",
        "of the same model with Keras's built-in; piecewise-linear ids under XLA: forward <= 1.15 of a plain copy;",
        "ids Keras lacks: <= 1.20 of the closest built-in of the same kind (named in each row).",
        *GOAL_NOTES.get(backend, []),
        "",
    ]
    if misses:
        lines += ["### Every goal missed", "", "| row | goal | median | verdict |", "|---|---|---|---|"]
        for where, goal, value, v in misses:
            lines.append(f"| {where} | {goal} | {value:.2f} | {MARK[v]} |")
        lines.append("")
    if results.get("notes"):
        lines += ["### Why the misses miss", ""]
        lines += [f"- {n}" for n in results["notes"]]
        lines.append("")
    lines += _elementwise_markdown(results, backend, shapes)
    lines += _models_markdown(results, backend)
    lines += _training_markdown(results, backend)
    lines += _memory_markdown(results)
    if results.get("layers_jit"):
        lines += ["", "## XLA support of the layers", "", "| layer | supports_jit |", "|---|---|"]
        for name, ok in results["layers_jit"].items():
            lines.append(f"| {name} | {ok} |")
    lines.append("")
    return lines


def _elementwise_markdown(results, backend, shapes):
    if not results["elementwise"]:
        return ["## Activation functions and layers, forward and forward+backward", "", "Not timed in this run.", ""]
    sizes = " and ".join(f"{size_label(s)} elements {s}" for s in shapes)
    lines = [
        "## Activation functions and layers, forward and forward+backward",
        "",
        f"float32 tensors of {sizes}. {MODE_TEXT[backend]}",
        "forward+backward = the output and its gradient (with respect to the",
        "input and the layer's weights) for a given upstream gradient.",
        "",
    ]
    present = {r["mode"] for r in results["elementwise"]}
    modes = [(mo, p) for mo in MODE_LABELS for p in ("forward", "forward+backward") if mo in present]
    head = "| row | reference | " + " | ".join(
        f"{MODE_LABELS[mo]} {'fwd' if p == 'forward' else 'fwd+bwd'}" for mo, p in modes) + " |"
    sep = "|---|---|" + "---|" * len(modes)
    by_shape = {}
    for row in results["elementwise"]:
        by_shape.setdefault(_shape(row, results), {}).setdefault(row["row"], {})[(row["mode"], row["pass"])] = row
    compiled = [r for r in results["elementwise"] if r["mode"] == "compile"]
    if compiled:
        lines += _compile_markdown(results, compiled)
    for shape in shapes:
        by_row = by_shape.get(shape, {})
        label = f"{size_label(shape)} elements {shape}"
        for title, ref_names, intro in [
            ("Against the Keras built-in (or the closest built-in where Keras lacks the function)",
             ("builtin", "kin"), "Rows marked (kin) compare with the closest built-in of the same kind, goal 1.20."),
            ("Against a naive keras.ops composition", ("naive",),
             "What a user writes by hand (the textbook formula, autodiff for the gradient); no goal, for scale. "
             "Not timed under a compiler, which fuses it like any other composition."),
            ("Against a plain copy (memory-bandwidth floor)", ("copy",),
             "The copy is `-x` (one read, one write; XLA cannot elide it). "
             "Goal only for piecewise-linear ids under XLA forward."),
        ]:
            rows = []
            for name, cells in by_row.items():
                any_row = next(iter(cells.values()))
                ref_label = any_row["reference"] or ""
                if ref_names == ("naive",):
                    ref_label = "naive keras.ops"
                elif ref_names == ("copy",):
                    ref_label = "-x"
                elif any_row["reference_kind"] == "kin":
                    ref_label += " (kin)"
                vals = []
                for key in modes:
                    row = cells.get(key)
                    cell = ""
                    if row:
                        for ref in ref_names:
                            cell = cell or _cell(row, ref)
                    vals.append(cell)
                if any(vals):
                    rows.append(f"| {name} | {ref_label} | " + " | ".join(vals) + " |")
            if rows:
                lines += [f"### {title}, {label}", "", intro, "", head, sep, *rows, ""]
        torch_rows = [(n, cells) for n, cells in by_row.items()
                      if any("torch" in r["ratios"] for r in cells.values())]
        if torch_rows:
            lines += [f"### Against PyTorch (CPU, eager; outside reference, no goal), {label}", "",
                      "| row | fwd | fwd+bwd |", "|---|---|---|"]
            for name, cells in torch_rows:
                f = cells.get(("eager", "forward"), {}).get("ratios", {}).get("torch")
                b = cells.get(("eager", "forward+backward"), {}).get("ratios", {}).get("torch")
                lines.append(f"| {name} | {f['median']:.2f} | {b['median']:.2f} |" if f and b else f"| {name} | | |")
            lines.append("")
    return lines


def _compile_markdown(results, compiled):
    """What torch.compile cost: the first call of each compiled function (Inductor's C++ build)."""
    first = sorted((s, r["row"], r["pass"], _shape(r, results))
                   for r in compiled for s in r.get("first_call_s", {}).values())
    names = sorted({r["row"] for r in compiled})
    if results["config"].get("compile_rows") == "all":
        which = f"Timed for every case ({len(names)})"
    else:
        which = (f"Timed for {len(names)} cases, the function ids that have a Keras built-in: Inductor generates "
                 "and compiles C++ per function, shape and pass, so the whole set would not fit the run "
                 "(`--compile-rows all` times every case)")
    lines = [
        "### torch.compile",
        "",
        f"{which}; against the Keras reference only (no naive, copy or PyTorch column). Each case starts",
        "with `torch._dynamo.reset()`; shapes are static (`dynamic=False`). A graph break splits the compiled",
        "function where dynamo cannot trace it (the rest runs eagerly between the compiled pieces).",
    ]
    if first:
        total = sum(s for s, *_ in first)
        median = first[len(first) // 2][0]
        worst = first[-1]
        lines.append(f"First calls (compilation): {len(first)}, median {median:.1f} s, the longest {worst[0]:.1f} s "
                     f"({worst[1]}, {worst[2]}, {size_label(worst[3])}), {total / 60:.1f} min in all.")
    breaks = {}
    for r in compiled:
        counts = r.get("graph_breaks") or {}
        if isinstance(counts, int):  # a total per row, as first written
            counts = {"keras_act": counts}
        for name, n in counts.items():
            if n:
                side = "keras_act" if name == "keras_act" else "Keras"
                breaks.setdefault((r["row"], side), set()).add(n)
    if breaks:
        text = "; ".join(f"{row} ({side}): {', '.join(str(n) for n in sorted(ns))} per compiled function"
                         for (row, side), ns in sorted(breaks.items()))
        lines.append(f"Graph breaks: {text}.")
    else:
        lines.append("Graph breaks: none.")
    lines.append("")
    return lines


def _models_markdown(results, backend):
    rows = results.get("models")
    if rows is None:
        return []
    t = results["config"].get("models", {})
    lines = [
        "## Real model shapes: a training and a predict step",
        "",
        "`train_on_batch` and `predict_on_batch`, model.fit's and model.predict's own compiled functions in",
        "Keras's default `jit_compile=\"auto\"` mode, against the same model (same seed, same weights) with",
        "Keras's built-in. Goal: median <= 1.02. The A/A rows time Keras's model against an identical copy:",
        "the noise floor of these rows.",
    ]
    tr, cn = t.get("transformer"), t.get("cnn")
    if tr:
        lines.append(f"Transformer encoder block: MultiHeadAttention ({tr['heads']} heads) and a feed-forward block "
                     f"(d_model {tr['d_model']}, ff {tr['ff']}), each with a residual and LayerNormalization, "
                     f"sequence {tr['seq']}, batch {tr['batch']}; the SwiGLU variant's feed-forward is "
                     f"Dense(2 ff) -> gate -> Dense(d_model).")
    if cn:
        lines.append(f"CNN: three 3x3 Conv2D (32, 32, 64) on {cn['size']}x{cn['size']}x3, batch {cn['batch']}; "
                     "PReLU follows each Conv2D in its row.")
    lines += [*TRAINING_TEXT[backend], "",
              "| row | step | vs Keras | keras_act ms | Keras ms | XLA | Keras's side |",
              "|---|---|---|---|---|---|---|"]
    if not rows:
        lines.append("| not timed in this run | | | | | | |")
    for row in rows:
        lines.append(f"| {row['row']} | {row['step']} | {_cell(row, 'builtin')} | {row['ms']['keras_act']} | "
                     f"{row['ms']['builtin']} | {'yes' if row['jit_compile'] else 'no'} | {row['reference']} |")
    lines.append("")
    return lines


def _training_markdown(results, backend):
    t = results["config"]["training"]
    archs = sorted({r["arch"] for r in results["training"]}) or ["mlp"]
    models = []
    if "mlp" in archs:
        models.append(f"MLP: Dense(512) x {t['mlp_depth']} on 256 features, batch {t['batch']}")
    if "cnn" in archs:
        models.append(f"CNN: three 3x3 Conv2D (32, 32, 64) on {t['size']}x{t['size']}x3, "
                      f"batch {t.get('cnn_batch', t['batch'])}")
    lines = [
        "## Training step of every case (model.fit's compiled train function, default jit_compile)",
        "",
        "; ".join(models) + ". SGD, sparse categorical cross-entropy. Each sample times `train_on_batch`,",
        "which runs the train function model.fit compiled.", *TRAINING_TEXT[backend],
        "Layers that only wrap a string id are timed through",
        "the id; the layers Keras lacks (its kin reference named) have their own rows."
        + ("" if "cnn" in archs else " The per-case CNN rows are left out to save time"
           " (`--archs mlp,cnn` adds them); the CNN's real-model rows are above."),
        "",
        "| row | model | XLA | vs built-in | vs relu | reference |",
        "|---|---|---|---|---|---|",
    ]
    for row in results["training"]:
        lines.append(
            f"| {row['row']} | {row['arch']} | {'yes' if row['jit_compile'] else 'no'} | {_cell(row, 'builtin')} | "
            f"{_cell(row, 'relu')} | {row['reference'] or ''}{' (kin)' if row['reference_kind'] == 'kin' else ''} |"
        )
    return lines


def _memory_markdown(results):
    mc = results["config"]["memory"]
    if not results["memory"]:
        return ["", "## Peak memory of one training step", "",
                results.get("memory_note") or "Not measured in this run.", ""]
    lines = [
        "",
        "## Peak memory of one training step",
        "",
        f"{mc['depth']}-layer MLP, Dense({mc['width']}), batch {mc['batch']}, float32, measured in a separate process",
        "with TensorFlow's BFC CPU allocator statistics: peak bytes during one `train_on_batch` minus bytes",
        "in use before it. Goal <= 0.90 for functions Keras composes, <= 1.00 otherwise; within 0.02 of the goal",
        "counts as noise (identical models differ by about 1%). Keras's default jit_compile picks no XLA on this",
        "CPU-only machine, so this is the graph-mode step.",
        "",
        "| row | jit_compile | XLA used | keras_act MiB | built-in MiB | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for row in results["memory"]:
        lines.append(
            f"| {row['row']} | {row['jit_compile']} | {'yes' if row['xla_used'] else 'no'} | {row['mib']['keras_act']} | "
            f"{row['mib']['builtin']} | {row['ratio']:.2f} {MARK[row['goal']['verdict']]} |"
        )
    return lines


def export_verdict(entry):
    """LiteRT goal: no more ops than Keras's built-in (None where Keras has no counterpart)."""
    if entry.get("keras_litert_ops") is None:
        return None
    if entry.get("litert_ops") is None or not entry.get("litert_builtin"):
        return MISS
    return PASS if entry["litert_ops"] <= entry["keras_litert_ops"] else MISS


def export_markdown(exports, labels=None):
    """The Export section, as lines (its headings one level up); `labels` names
    Keras's counterpart of each id or layer (export.reference_labels())."""
    labels = labels or {}
    ids = exports["ids"]
    m = exports.get("machine", {})
    ok = [k for k, e in ids.items() if e["onnx"]]
    failed = [k for k, e in ids.items() if not e["onnx"]]
    judged = {k: export_verdict(e) for k, e in ids.items()}
    passes = sum(v == PASS for v in judged.values())
    goals = sum(v is not None for v in judged.values())
    lines = [
        "# Export (TensorFlow): ONNX and LiteRT",
        "",
        f"Generated by `python -m benchmarks.export` (run by the TensorFlow benchmark) on {exports['date']}"
        + (f", {m.get('cpu')}, Keras {m.get('keras')}, TensorFlow {m.get('tensorflow')}" if m else "")
        + f". Raw data: [{EXPORT_FILE}]({EXPORT_FILE}).",
        "Each string id that keeps its input's shape: `Input(16) -> Dense(16, activation=id)`; each layer of",
        "keras_act.layers (the GLU-family ids through their layers): `Input(16) -> Dense(16) -> layer`.",
        "",
        f"**ONNX: {len(ok)}/{len(ids)} exported and matching** (`model.export(format=\"onnx\")`, run in onnxruntime,",
        "largest absolute difference from Keras's prediction < 1e-5)."
        + (f" Failing: {', '.join(failed)}." if failed else ""),
        "",
        f"**LiteRT** (`model.export(format=\"litert\")`, builtin ops only): {passes}/{goals} with no more ops",
        "than the same model with Keras's built-in (goal), counted in the converted file with",
        "ai_edge_litert's Interpreter. The Dense is one FULLY_CONNECTED op on both sides (LiteRT fuses",
        "RELU, RELU6 and similar into it).",
        "",
        "| id or layer | ONNX (max error) | LiteRT ops | Keras's ops | goal: no more ops than Keras "
        "| keras_act's ops | Keras's | Keras's side |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, e in ids.items():
        error = "failed" if e["onnx_error"] is None else f"{e['onnx_error']:.1e}"
        onnx = f"{'yes' if e['onnx'] else '**no**'} ({error})"
        v = judged[key]
        ops = "not converted" if e["litert_ops"] is None else str(e["litert_ops"])
        theirs = "" if e["keras_litert_ops"] is None else str(e["keras_litert_ops"])
        lines.append(
            f"| {key} | {onnx} | {ops} | {theirs} | {MARK[v] if v else 'no built-in'} | "
            f"{' '.join(e['litert_op_names'])} | {' '.join(e['keras_litert_op_names'] or [])} | "
            f"{labels.get(key) or ''} |")
    lines.append("")
    return lines
