"""Damaged and hostile model files: one clear error for each, from every reader (issue 20).

A seeded sample of tests/hostile/variants.py (every kind of damage, and every
variant that must load or warn) goes through keras_act.compat.tfa.load_model,
migrate, keras_act.inspect_model and `keras-act migrate` / `inspect`. Each
must raise a MigrationError whose first line names the file and what the
variant damaged (the object and the problem), or load as the variant says;
the input is never changed and nothing is left behind, in the file's folder
or in the temporary folder. `python tests/hostile/run.py` runs the whole set,
each case in a worker process with a timeout, and counts the outcomes.

Variants keras_act refuses from its own checks do not depend on the backend
(marked `once`); those that reach Keras's loader run on every backend.
"""

import contextlib
import hashlib
import os
import signal
import stat
import tempfile
from pathlib import Path

import pytest

from tests.hostile import variants as hostile

SAMPLE = hostile.sample()
# Every test here must finish long before this: a reader that opens a FIFO
# for reading blocks forever, which the alarm turns into a failure.
ALARM_SECONDS = 120


@contextlib.contextmanager
def _alarm(seconds=ALARM_SECONDS):
    def hung(signum, frame):
        raise TimeoutError(f"a reader did not return within {seconds} s (blocked on a FIFO?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _digest(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # a FIFO or a device: never opened by the test either
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """tempfile's folder, inside tmp_path, so that what a reader leaves there shows."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _backend_free(variant, reader):
    """Whether the outcome cannot depend on the backend: keras_act's own
    checks refuse the file, inspect reports a Keras 2 file for migration, or
    the reader wraps what `load` tests per backend (migrate is load, then a
    save; the command line wraps the library)."""
    if variant.stage in ("check", "convert") or reader in ("migrate", "cli-migrate", "cli-inspect"):
        return True
    return hostile.for_entry(variant, reader).names == ("migrate",)


def _params(readers):
    out = []
    for v in SAMPLE:
        for reader in readers:
            if reader.endswith("inspect") and v.suffix != ".keras":
                continue
            marks = [pytest.mark.once] if _backend_free(v, reader) else []
            out.append(pytest.param(v, reader, id=f"{reader}-{v.id}", marks=marks))
    return out


def _check(variant, reader, tmp_path, private_tmp):
    variant = hostile.for_entry(variant, reader)
    made, out_dir = tmp_path / "in", tmp_path / "out"
    made.mkdir()
    out_dir.mkdir()
    path = variant.make(made)
    before = _digest(path)
    with _alarm():
        result = hostile.attempt(variant, reader, path, out_dir / "migrated.keras")
    assert hostile.expected(variant, result["outcome"], result["warned"]), (variant.expect, result["outcome"], result["why"])
    assert _digest(path) == before  # the input is never changed
    assert sorted(p.name for p in made.iterdir()) == [path.name]
    wrote = reader.endswith("migrate") and result["outcome"] == "loaded"
    assert sorted(p.name for p in out_dir.iterdir()) == (["migrated.keras"] if wrote else [])
    assert list(private_tmp.iterdir()) == []  # nothing left in the temporary folder
    return result


@pytest.mark.parametrize("variant, reader", _params(("load", "migrate", "inspect")))
def test_every_damage_is_one_clear_error(variant, reader, tmp_path, private_tmp):
    _check(variant, reader, tmp_path, private_tmp)


def _one_per_kind():
    seen, out = set(), []
    for v in SAMPLE:
        if v.kind not in seen:
            seen.add(v.kind)
            out.append(v)
    return out


@pytest.mark.parametrize(
    "variant, reader",
    [
        pytest.param(v, r, id=f"{r}-{v.id}", marks=[pytest.mark.once])
        for v in _one_per_kind()
        for r in ("cli-migrate", "cli-inspect")
        if r == "cli-migrate" or v.suffix == ".keras"
    ],
)
def test_the_command_line_says_it_in_one_line(variant, reader, tmp_path, private_tmp):
    # keras_act.cli.main in this process: the same one-line error (exit 1)
    # or warning line the `keras-act` command prints.
    _check(variant, reader, tmp_path, private_tmp)


@pytest.mark.once
def test_the_sample_covers_every_kind_and_is_seeded():
    variants = hostile.all_variants()
    assert {v.kind for v in SAMPLE} == {v.kind for v in variants}
    # Every variant that must load or warn is in the sample: they are few.
    assert {v.id for v in variants if v.expect in ("load", "warn")} <= {v.id for v in SAMPLE}
    assert [v.id for v in hostile.all_variants()] == [v.id for v in variants]
    assert [v.id for v in hostile.sample()] == [v.id for v in SAMPLE]
    assert [v.id for v in hostile.all_variants(seed=1)] != [v.id for v in variants]
    assert len(variants) >= 200 and 40 <= len(SAMPLE) <= 60


@pytest.mark.once
def test_variants_write_only_their_own_file(tmp_path):
    # What the generator writes for one variant of each kind: one entry in
    # the given folder, and the committed fixture unchanged.
    for v in _one_per_kind():
        folder = tmp_path / v.id.replace("/", "_").replace(":", "_")
        folder.mkdir()
        source = hostile.ROOT / v.source
        before = _digest(source)
        path = v.make(folder)
        assert [p.name for p in folder.iterdir()] == [path.name], v.id
        assert _digest(source) == before, v.id
