"""Forward and forward+backward time of every case, in each mode the backend has.

TensorFlow: eager, tf.function and tf.function(jit_compile=True). JAX: jax.jit
(its compiler; JAX's op-by-op dispatch is not how anyone runs it). torch:
eager (how Keras's torch backend runs by default) and torch.compile (what
Keras's jit_compile=True does on torch). The backend is Keras's, chosen with
KERAS_BACKEND before the run; every case is timed at each size it is given.

torch.compile's Inductor generates and compiles C++ per function and shape
(seconds each on this CPU; its caches go to TORCHINDUCTOR_CACHE_DIR under
/tmp), so by default that mode times only the cases with a Keras built-in
(COMPILE_ROWS) and only against that built-in.
"""

import os
import time

import keras
import numpy as np
from keras import ops
from keras_act._kernels import NATIVE  # plain data: the dispatch's tables

from benchmarks import timing

MODES_BY_BACKEND = {
    "tensorflow": ("eager", "function", "xla"),
    "jax": ("jit",),
    "torch": ("eager", "compile"),
}
MODES = MODES_BY_BACKEND["tensorflow"]
# Modes where a compiler fuses the ops: a hand-written composition fuses like
# any other, so the naive column is measured only outside them.
COMPILED = {"xla", "jit", "compile"}
PASSES = ("forward", "forward+backward")
# Which cases torch.compile times by default: "builtin" (function cases whose
# reference is a Keras built-in) or "all".
COMPILE_ROWS = "builtin"
# Keras built-ins that Keras's torch backend composes from several ATen ops
# (keras/src/backend/torch/nn.py; mish in keras/src/activations); every other
# built-in there is one torch.nn.functional kernel with its own backward.
TORCH_COMPOSED = {"mish", "sparse_plus", "sparse_sigmoid", "squareplus", "sparsemax"}
# A sample repeats the call until it lasts >= 10 ms: above the scheduler's
# 4 ms slice and far above timer resolution, at 64K elements (tens of
# microseconds a call) as at 4M (milliseconds).
MIN_SAMPLE_S = 0.01
MAX_REPS = 1000

os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", "/tmp/keras_act_benchmark_inductor")


def backend():
    return keras.backend.backend()


def backend_modes(name=None):
    """The modes timed on backend `name` (default: Keras's backend)."""
    return MODES_BY_BACKEND[name or backend()]


def composed_on_backend(case, name=None):
    """Whether Keras composes the case's built-in from several ops on this backend."""
    name = name or backend()
    if name == "tensorflow":
        return case.composed
    label = case.builtin_label or ""
    if name == "torch" and label.startswith("keras.activations."):
        return label[len("keras.activations."):].split("(")[0] in TORCH_COMPOSED
    return False  # JAX: only jit is timed, and XLA fuses both sides alike


def native_kernel(case, name=None):
    """The backend's native kernel keras_act's dispatch names for the case, or None."""
    kernel = NATIVE.get(name or backend(), {}).get(case.kernel_id) if case.kernel_id else None
    return kernel.name if kernel is not None else None


def lean_gradient(case, name=None):
    """Whether the eager forward+backward 0.80 goal applies: Keras composes the
    built-in on this backend and keras_act runs its own composition with its
    lean custom gradient there (no native kernel serves the id)."""
    return composed_on_backend(case, name) and native_kernel(case, name) is None


def compiled_by_torch(case, compile_rows=COMPILE_ROWS):
    """Whether torch.compile times this case (see COMPILE_ROWS)."""
    return compile_rows == "all" or (case.kind == "function" and case.reference_kind == "builtin")


def copy(x):
    # The memory-bandwidth floor: one read and one write of the tensor, an
    # op XLA cannot elide (an identity or x * 1 would be optimized away).
    return ops.negative(x)


def _weights(fn):
    return list(getattr(fn, "trainable_weights", None) or [])


def _forward_backward(fn):
    import tensorflow as tf

    weights = _weights(fn)

    def step(x, dy):
        # The upstream gradient is an input, never a constant that graph
        # optimizers could fold, and y is returned so its forward runs too.
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        return y, tape.gradient(y, [x] + weights, output_gradients=dy)

    return step


_COPIES = {}


def copy_for(mode, pass_):
    # One traced (and compiled) copy per mode and pass, shared by every case.
    if (mode, pass_) not in _COPIES:
        _COPIES[(mode, pass_)] = wrap(copy, mode, pass_)
    return _COPIES[(mode, pass_)]


def _wrap_jax(fn, pass_):
    import jax

    weights = _weights(fn)

    def apply(x, values):
        # The layer's weights enter as arguments (their gradients are taken);
        # a seed generator's state is read, and its update dropped.
        with keras.StatelessScope(state_mapping=list(zip(weights, values))):
            return fn(x)

    if pass_ == "forward":
        compiled = jax.jit(lambda x, dy, values: apply(x, values))
    else:
        def forward_backward(x, dy, values):
            y, vjp = jax.vjp(apply, x, values)
            return y, vjp(dy)

        compiled = jax.jit(forward_backward)
    values = [w.value for w in weights]
    # JAX dispatches asynchronously: a call ends when its results exist.
    return lambda x, dy: jax.block_until_ready(compiled(x, dy, values))


def _synced(run):
    """On a CUDA device a torch call returns before its kernels finish: wait
    for them, so a sample times the work (JAX's block_until_ready)."""
    import torch

    if not torch.cuda.is_available():
        return run

    def timed(x, dy):
        out = run(x, dy)
        torch.cuda.synchronize()
        return out

    return timed


def _wrap_torch(fn, pass_):
    import torch

    weights = [w.value for w in _weights(fn)]
    if pass_ == "forward":
        def forward(x, dy):
            with torch.no_grad():
                return fn(x)

        return _synced(forward)

    def forward_backward(x, dy):
        xg = x.detach().requires_grad_(True)
        y = fn(xg)
        return y, torch.autograd.grad(y, [xg] + weights, grad_outputs=dy, allow_unused=True)

    return _synced(forward_backward)


def reset_torch_compile():
    """Forget every torch.compile'd graph (one case's graphs at a time).

    Dynamo keeps compiled graphs per code object and checks their guards in
    turn on every call; candidates wrapped by the same code (a layer's
    __call__) would pile up there, and past its recompile limit dynamo
    silently runs the function eagerly. Each case starts afresh instead.
    """
    import torch

    torch._dynamo.reset()
    config = torch._dynamo.config
    for limit in ("recompile_limit", "cache_size_limit", "accumulated_recompile_limit",
                  "accumulated_cache_size_limit"):
        if hasattr(config, limit):
            setattr(config, limit, max(getattr(config, limit), 512))


def graph_breaks():
    """How many graph breaks dynamo has met so far in this process."""
    from torch._dynamo.utils import counters

    return sum(counters["graph_break"].values())


def _wrap_torch_compile(fn, pass_):
    import torch

    # One graph per shape (dynamic=False), as Inductor specializes best.
    compiled = torch.compile(fn, dynamic=False)
    weights = [w.value for w in _weights(fn)]
    if pass_ == "forward":
        def forward(x, dy):
            with torch.no_grad():
                return compiled(x)

        return _synced(forward)

    def forward_backward(x, dy):
        # AOTAutograd compiles the backward with the forward.
        xg = x.detach().requires_grad_(True)
        y = compiled(xg)
        return y, torch.autograd.grad(y, [xg] + weights, grad_outputs=dy, allow_unused=True)

    return _synced(forward_backward)


def wrap(fn, mode, pass_):
    """`fn` as a callable of `(x, dy)` for one mode and pass."""
    if mode == "jit":
        return _wrap_jax(fn, pass_)
    if mode == "compile":
        return _wrap_torch_compile(fn, pass_)
    if backend() == "torch":
        return _wrap_torch(fn, pass_)
    if pass_ == "forward":
        def body(x, dy):
            return fn(x)
    else:
        body = _forward_backward(fn)
    if mode == "eager":
        return body
    import tensorflow as tf

    # autograph=False: nothing here needs it, and AutoGraph re-reads source
    # files, which must not matter if one changes during a long run.
    return tf.function(body, jit_compile=(mode == "xla"), reduce_retracing=True, autograph=False)


def make_input(shape, seed=0):
    rng = np.random.default_rng(seed)
    # Spread over [-6, 6]-ish so every branch of every function is taken.
    return ops.convert_to_tensor((rng.standard_normal(shape) * 3.0).astype("float32"))


def torch_callable(spec, x_np, pass_):
    """PyTorch's module for `spec`, on the device Keras computes on when the
    backend is torch (a CUDA GPU where there is one, so the column compares
    like with like), else on the CPU; None without torch."""
    try:
        import torch
    except ImportError:
        return None
    device = "cpu"
    if backend() == "torch":
        from keras.src.backend.torch.core import get_device

        device = get_device()
    module = eval(spec, {"torch": torch}).to(device)  # specs come from keras_act's own records
    xt = torch.from_numpy(x_np).to(device)

    def sync():
        if xt.is_cuda:
            torch.cuda.synchronize()

    if pass_ == "forward":
        def run():
            with torch.no_grad():
                module(xt)
            sync()
        return run
    xg = xt.clone().requires_grad_(True)

    def run_backward():
        y = module(xg)
        y.backward(torch.ones_like(y))
        xg.grad = None
        sync()

    return run_backward


def modes_for(case, modes=None, compile_rows=COMPILE_ROWS):
    """The modes timed for `case` (torch.compile only for `compile_rows`)."""
    return [m for m in (modes or backend_modes()) if m != "compile" or compiled_by_torch(case, compile_rows)]


def bench_case(case, shape, pairs, modes=None, passes=PASSES, with_torch=True, compile_rows=COMPILE_ROWS):
    """Rows (one per mode and pass) for one case at one shape."""
    modes = modes_for(case, modes, compile_rows)
    if "compile" in modes:
        reset_torch_compile()
    x = make_input(shape)
    x_np = np.array(ops.convert_to_numpy(x))  # a writable copy for torch.from_numpy
    subject, references = case.make(shape)
    # The upstream gradient has the output's shape (GLU halves its axis).
    dy = ops.ones_like(subject(x)) * 0.5
    for ref in references.values():
        ref(x)  # builds a reference layer outside any compiled function
    composed = composed_on_backend(case)
    rows = []
    for mode in modes:
        for pass_ in passes:
            candidates = {"keras_act": wrap(subject, mode, pass_)}
            for ref_name, ref in references.items():
                # Under a compiler (XLA, jax.jit, Inductor) a hand-written
                # composition fuses like any other: the naive column is
                # measured where it differs, eager and graph.
                if not (ref_name == "naive" and mode in COMPILED):
                    candidates[ref_name] = wrap(ref, mode, pass_)
            # The copy floor serves the XLA goal; under torch.compile it
            # would cost one more compilation per case.
            if tuple(dy.shape) == tuple(x.shape) and mode != "compile":
                candidates["copy"] = copy_for(mode, pass_)
            if with_torch and mode == "eager" and case.torch_spec:
                run = torch_callable(case.torch_spec.format(channels=shape[-1]), x_np, pass_)
                if run is not None:
                    candidates["torch"] = run
            thunks = {
                name: (fn if name == "torch" else (lambda fn=fn: fn(x, dy)))
                for name, fn in candidates.items()
            }
            breaks, first_call = None, None
            if mode == "compile":
                # Each candidate's first call compiles it: its time and graph breaks.
                breaks, first_call = {}, {}
                for name, thunk in thunks.items():
                    before, start = graph_breaks(), time.perf_counter()
                    thunk()
                    first_call[name] = time.perf_counter() - start
                    breaks[name] = graph_breaks() - before
            result = timing.compare(thunks, pairs=pairs, min_sample_s=MIN_SAMPLE_S, max_reps=MAX_REPS)
            row = {
                "row": case.name,
                "kind": case.kind,
                "backend": backend(),
                "mode": mode,
                "pass": pass_,
                "shape": list(shape),
                "elements": int(np.prod(shape)),
                "reference": case.builtin_label,
                "composed": composed,
                "lean_gradient": lean_gradient(case),
                "native_kernel": native_kernel(case),
                "piecewise_linear": case.piecewise_linear,
                "reference_kind": "kin" if "kin" in references else ("builtin" if "builtin" in references else None),
                "ms": {k: round(v * 1e3, 4) for k, v in result["seconds"].items()},
                "reps": result["reps"],
                "first_call_s": {k: round(v, 3) for k, v in (first_call or result["first_call_s"]).items()},
                "ratios": result["ratios"],
            }
            if breaks is not None:
                row["graph_breaks"] = breaks
            rows.append(row)
    return rows


def noise_rows(shape, pairs, modes=None):
    """A/A control: Keras's relu against itself, the noise floor of a ratio, per mode at one shape."""
    modes = modes or backend_modes()
    if "compile" in modes:
        reset_torch_compile()
    x = make_input(shape)
    rows = []
    for mode in modes:
        a = wrap(keras.activations.relu, mode, "forward")
        b = wrap(lambda t: keras.activations.relu(t), mode, "forward")
        result = timing.compare({"keras_act": lambda: a(x, None), "same": lambda: b(x, None)}, pairs=pairs,
                                min_sample_s=MIN_SAMPLE_S, max_reps=MAX_REPS)
        rows.append({"mode": mode, "shape": list(shape), "elements": int(np.prod(shape)),
                     "ratio": result["ratios"]["same"]})
    return rows
