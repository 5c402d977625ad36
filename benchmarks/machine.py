"""The machine a benchmark ran on: CPU, cores, load, versions, date."""

import datetime
import os
import platform


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load():
    """The load averages (1, 5, 15 minutes) as text."""
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def version(package):
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def machine_info():
    import keras
    import numpy as np

    return {
        "date": now(),
        "cpu": cpu_model(),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "backend": keras.backend.backend(),
        "tensorflow": version("tensorflow"),
        "jax": version("jax"),
        "keras": keras.__version__,
        "numpy": np.__version__,
        "torch": version("torch"),
        "keras_act": os.path.dirname(__import__("keras_act").__file__),
        "load_start": load(),
    }
