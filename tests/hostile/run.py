"""Run every hostile variant through the readers of model files and count outcomes.

    python tests/hostile/run.py [--import-root DIR] [--sample] [--entries load,migrate,...]

Each case (a variant and an entry point) runs in a worker process that has
imported keras_act once; a case that does not answer within --timeout
seconds is counted as hung and its worker is replaced. keras_act is
imported from --import-root (default: this checkout), so the same variants
count the outcomes of another commit: check it out with
`git worktree add /tmp/before <commit>` and pass `--import-root /tmp/before`.

Outcomes: "clear" (a MigrationError whose first line names the file and
what the variant damaged), "loaded", "unclear" (any other error, or a first
line that does not say what is wrong), "hung". The run also checks that no
input file changed and that nothing was left behind in the file's folder
or in the temporary folder.

Entry points: load (keras_act.compat.tfa.load_model), migrate
(keras_act.compat.tfa.migrate), inspect (keras_act.inspect_model, `.keras`
sources), cli-migrate, cli-inspect and cli-swap (`keras-act migrate` /
`inspect` / `swap --map relu=relu_custom`, `.keras` sources for the last,
through keras_act.cli.main in the worker).
"""

import argparse
import collections
import contextlib
import hashlib
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ENTRIES = ("load", "migrate", "inspect", "cli-migrate", "cli-inspect", "cli-swap")


def _applies(variant, entry):
    # inspect and swap read Keras 3's .keras files (an .h5 is migrate's).
    return not entry.endswith(("inspect", "swap")) or variant.suffix == ".keras"


# --------------------------------------------------------------------------
# Worker


def _digest(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # a FIFO or a device is never opened here
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _finite_outputs(model, variant):
    import numpy as np

    import keras

    npz = REPO / variant.source
    npz = npz.with_name(npz.stem + ".npz")
    if not npz.exists():
        return None
    try:
        y = keras.ops.convert_to_numpy(model(np.load(npz)["x"], training=False))
        return bool(np.all(np.isfinite(y)))
    except Exception:  # noqa: BLE001 - an edited model may take other inputs
        return None


def _run_case(variant, entry, directory):
    from tests.hostile.variants import attempt, for_entry

    variant = for_entry(variant, entry)
    path = variant.make(directory)
    dst = Path(directory) / "migrated.keras"
    result = attempt(variant, entry, path, dst, record_all=True)
    if entry == "load" and result.get("model") is not None:
        finite = _finite_outputs(result["model"], variant)
        result["nonfinite"] = None if finite is None else not finite
    result.pop("model", None)
    return path, dst, result


def worker(args):
    sys.path.insert(0, str(args.import_root))
    if str(REPO) not in sys.path:
        sys.path.append(str(REPO))
    from tests.hostile.variants import all_variants

    variants = {v.id: v for v in all_variants(args.seed)}
    import keras_act  # noqa: F401 - imported once, before the first case is timed

    cases_root = Path(args.cases)
    tmp = Path(tempfile.gettempdir())
    print(json.dumps({"ready": True, "keras_act": keras_act.__file__}), flush=True)
    for line in sys.stdin:
        index, entry, variant_id = json.loads(line)
        variant = variants[variant_id]
        directory = Path(tempfile.mkdtemp(dir=cases_root))
        before_tmp = set(os.listdir(tmp))
        start = time.perf_counter()
        try:
            path, dst, result = _run_case(variant, entry, directory)
            source_digest = _digest(REPO / variant.source)
            made = variant.make(Path(tempfile.mkdtemp(dir=cases_root)))
            result["changed"] = _digest(path) != _digest(made)
            shutil.rmtree(made.parent)
            left = set(os.listdir(directory)) - {path.name} - ({dst.name} if result["outcome"] == "loaded" else set())
            left |= {f"$TMPDIR/{n}" for n in set(os.listdir(tmp)) - before_tmp}
            result["leftovers"] = sorted(left)
            result["fixture_changed"] = source_digest != _digest(REPO / variant.source)
        except Exception as e:  # noqa: BLE001 - a failure of the harness, reported
            result = {"outcome": "harness-error", "why": f"{type(e).__name__}: {e}", "leftovers": [], "changed": False}
        result.update(case=int(index), entry=entry, id=variant.id, kind=variant.kind, seconds=round(time.perf_counter() - start, 2))
        shutil.rmtree(directory, ignore_errors=True)
        print(json.dumps(result), flush=True)


# --------------------------------------------------------------------------
# Parent


class _Worker:
    def __init__(self, args, root):
        env = {**os.environ, "TMPDIR": str(root / "tmp"), "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": ""}
        (root / "tmp").mkdir(exist_ok=True)
        command = [
            sys.executable, str(Path(__file__).resolve()), "--worker", "--seed", str(args.seed),
            "--import-root", str(args.import_root), "--cases", str(root / "cases"),
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, env=env, cwd=str(root), start_new_session=True,
        )  # fmt: skip
        ready = self._line(args.start_timeout)
        if ready is None or not json.loads(ready).get("ready"):
            raise RuntimeError("worker did not start")
        self.keras_act = json.loads(ready)["keras_act"]

    def _line(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    return None
                if line.startswith("{"):
                    return line
        return None

    def run(self, index, entry, variant_id, timeout):
        self.proc.stdin.write(json.dumps([index, entry, variant_id]) + "\n")
        self.proc.stdin.flush()
        return self._line(timeout)

    def kill(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def parent(args):
    sys.path.insert(0, str(REPO))
    from tests.hostile.variants import all_variants, expected, for_entry, sample

    variants = all_variants(args.seed)
    chosen = {v.id for v in (sample(args.seed, variants=variants) if args.sample else variants)}
    cases = [(i, e) for i, v in enumerate(variants) if v.id in chosen for e in args.entries if _applies(v, e)]
    root = Path(tempfile.mkdtemp(prefix="keras_act_hostile_"))
    (root / "cases").mkdir()
    results = []
    worker_ = None
    try:
        for n, (index, entry) in enumerate(cases):
            if worker_ is None:
                worker_ = _Worker(args, root)
                print(f"worker imports {worker_.keras_act}", file=sys.stderr)
            line = worker_.run(index, entry, variants[index].id, args.timeout)
            if line is None:
                worker_.kill()
                worker_ = None
                v = variants[index]
                result = {"case": index, "entry": entry, "id": v.id, "kind": v.kind, "outcome": "hung", "why": f"no answer in {args.timeout} s", "leftovers": [], "changed": False}
            else:
                result = json.loads(line)
            v = for_entry(variants[index], entry)
            result["as_expected"] = expected(v, result["outcome"], result.get("warned", False))
            results.append(result)
            if args.verbose:
                print(f"[{n + 1}/{len(cases)}] {entry:11} {result['outcome']:8} {v.id}: {result['why'][:150]}", file=sys.stderr)
    finally:
        if worker_ is not None:
            worker_.kill()
        # What a hung worker left (a FIFO it blocked on, its temporary files).
        leftovers = sorted(str(p.relative_to(root)) for p in (root / "tmp").rglob("*"))
        shutil.rmtree(root, ignore_errors=True)
    summary = _summary(results, leftovers)
    print(json.dumps(summary["counts"], indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps({"summary": summary, "results": results}, indent=1))
    return 0


def _summary(results, leftovers):
    counts = collections.OrderedDict()
    for entry in [*ENTRIES, "all"]:
        rows = [r for r in results if entry in ("all", r["entry"])]
        if not rows:
            continue
        c = collections.Counter(r["outcome"] for r in rows)
        counts[entry] = {
            "cases": len(rows),
            **{k: c.get(k, 0) for k in ("clear", "loaded", "unclear", "hung", "harness-error")},
            "as_expected": sum(r["as_expected"] for r in rows),
            "loaded_nonfinite": sum(1 for r in rows if r.get("nonfinite")),
            "warned": sum(1 for r in rows if r.get("warned")),
            "inputs_changed": sum(1 for r in rows if r.get("changed") or r.get("fixture_changed")),
            "left_behind": sum(1 for r in rows if r.get("leftovers")),
        }
    counts["temporary_files_after_hangs"] = len(leftovers)
    return {"counts": counts}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--import-root", default=str(REPO), help="the checkout whose keras_act is run (default: this one)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--sample", action="store_true", help="only the sample `make test` runs")
    p.add_argument("--entries", default="load,migrate,inspect", help=f"comma-separated, of {','.join(ENTRIES)}")
    p.add_argument("--timeout", type=float, default=90.0, help="seconds before a case counts as hung")
    p.add_argument("--start-timeout", type=float, default=180.0)
    p.add_argument("--out", help="write every result as JSON here")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--cases", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.seed is None:
        sys.path.insert(0, str(REPO))
        from tests.hostile.variants import SEED

        args.seed = SEED
    args.entries = [e for e in args.entries.split(",") if e]
    if unknown := set(args.entries) - set(ENTRIES):
        p.error(f"unknown entries {sorted(unknown)}")
    args.import_root = Path(args.import_root).resolve()
    return worker(args) if args.worker else parent(args)


if __name__ == "__main__":
    sys.exit(main())
