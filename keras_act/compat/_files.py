"""Reading a model file that may be damaged or hostile, before Keras sees it.

- `open_model_file(path)`: what is not a regular file (a FIFO, a device, a
  socket) is refused from its `stat` without being opened for reading; an
  empty, foreign or unreadable file is a MigrationError naming it.
- `check_archive(archive, path)`: the members of a `.keras` zip archive, as
  Keras writes them: each once, inside the archive, neither encrypted nor
  compressed with a method Python cannot read.
- `read_member(archive, name, path, max_bytes)`: one member, refused by the
  size it declares before a byte is decompressed.
- `parse_json(data, path, where)`: UTF-8 JSON nested at most `MAX_DEPTH`
  levels (measured before the parser recurses into it).
- `h5_text(attrs, key, path)`, `check_h5_weights(file, path)`: a legacy
  `.h5` file's config attributes and weights layout.

Imports neither Keras nor TensorFlow.
"""

import json
import os
import re
import stat
import zipfile

import numpy as np

from keras_act.compat._errors import MigrationError, MissingFileError, cause_line, fail

# A config.json holds the architecture only (weights are separate): a few
# hundred KB even for large functional models.
MAX_CONFIG_BYTES = 16 * 1024 * 1024
# JSON containers inside containers. A Keras config nests about 10 levels
# per model (model, layers, layer, config, inbound nodes, tensors, history)
# and models nest in models a few times at most.
MAX_DEPTH = 100

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
WEIGHTS_MEMBERS = ("model.weights.h5", "model.weights.npz")
_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# DEFLATE expands at most about 1032:1.
_MAX_EXPANSION = 1100
_UNDECODED = re.compile("[\udc80-\udcff]")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)

_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode):
    for test, words in _NOT_REGULAR:
        if test(mode):
            return words
    return None if stat.S_ISREG(mode) else "not a regular file"


def check_path(path):
    """`os.stat(path)` of a regular file or a directory; a MigrationError for
    anything else, decided without opening it."""
    try:
        st = os.stat(path)
    except FileNotFoundError as e:
        raise MissingFileError(f"No such model file: {path}") from e
    except OSError as e:
        raise fail(path, f"cannot be examined ({e.strerror or e}).", e) from e
    if stat.S_ISDIR(st.st_mode):
        return st
    kind = _not_regular(st.st_mode)
    if kind is not None:
        raise MigrationError(
            f"{path} is {kind}, not a regular file: keras_act reads model files only and did not open it. "
            "Pass the path of a .h5 or .keras file."
        )
    return st


def open_model_file(path):
    """The regular file `path`, opened for binary reading, and its kind:
    `(file, ".keras" | ".h5")`. The caller closes the file."""
    st = check_path(path)
    if stat.S_ISDIR(st.st_mode):
        if os.path.exists(os.path.join(path, "saved_model.pb")):
            raise MigrationError(
                f"{path} is a TensorFlow SavedModel directory, which holds graphs, not a Keras config: serve it "
                'in Keras 3 with keras.layers.TFSMLayer(path, call_endpoint="serving_default").'
            )
        raise MigrationError(f"{path} is a directory, not a .h5 or .keras model file.")
    if st.st_size == 0:
        raise MigrationError(f"{path} is empty (0 bytes), not a .h5 or .keras model file: the copy or download did not finish?")
    try:
        # O_NONBLOCK: if the path became a FIFO since the stat, opening it
        # does not wait for a writer; fstat below refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise fail(path, f"cannot be opened ({e.strerror or e}).", e) from e
    try:
        kind = _not_regular(os.fstat(fd).st_mode)
        if kind is not None:
            raise MigrationError(f"{path} is {kind}, not a regular file: keras_act reads model files only.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    try:
        return f, _kind(f, path)
    except BaseException:
        f.close()
        raise


def _kind(f, path):
    try:
        if zipfile.is_zipfile(f):
            return ".keras"
        f.seek(0)
        head = f.read(8)
    except OSError as e:
        raise fail(path, f"cannot be read ({e.strerror or e}).", e) from e
    finally:
        f.seek(0)
    if head == HDF5_SIGNATURE:
        return ".h5"
    raise MigrationError(f"{path} is neither a .keras archive nor an HDF5 (.h5) file.")


def damaged(path, error, what=None):
    """The MigrationError for a file (or a member `what`) that cannot be read."""
    where = f"{path}: {what}" if what else str(path)
    return fail(path, f"{where} is damaged or truncated ({cause_line(error)}).", error)


# --------------------------------------------------------------------------
# Zip archives


def _outside(name):
    parts = re.split(r"[\\/]+", name)
    return name.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts


def check_archive(archive, path):
    """Refuse an archive Keras did not write: a member twice, outside the
    archive, encrypted, or compressed in a way Python cannot read."""
    seen = set()
    for info in archive.infolist():
        name = info.filename
        if name in seen:
            raise MigrationError(
                f"{path}: the archive holds {name!r} more than once, and which one a reader takes differs between "
                "tools. Keras writes each member once: re-save the model from its source."
            )
        seen.add(name)
        if _outside(name):
            raise MigrationError(
                f"{path}: archive member {name!r} points outside the archive; Keras never writes such a member, "
                "so the file was made by hand or by an attacker. Not reading it."
            )
        if info.flag_bits & 0x1:
            raise MigrationError(
                f"{path}: archive member {name!r} is encrypted; Keras never encrypts a model file. Decrypt the "
                "archive with the tool that made it."
            )
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size or (
            info.compress_type == zipfile.ZIP_DEFLATED and info.file_size > _MAX_EXPANSION * info.compress_size + (1 << 20)
        ):
            raise MigrationError(
                f"{path}: archive member {name!r} declares {info.file_size} bytes but stores {info.compress_size}, more "
                "than any compression gives: the archive is damaged or a decompression bomb. Not reading it."
            )
        if info.compress_type not in _READABLE_METHODS:
            raise MigrationError(
                f"{path}: archive member {name!r} uses compression method {info.compress_type}, which Python's "
                "zipfile cannot read (Keras stores members uncompressed). Re-save the model from its source."
            )


def read_member(archive, name, path, max_bytes):
    """The bytes of archive member `name`, at most `max_bytes` whatever it declares."""
    info = archive.getinfo(name)
    too_big = (
        f"{path}: {name} is larger than {max_bytes // (1024 * 1024)} MiB (a model's config is normally well under "
        "1 MiB); not reading it."
    )
    if info.file_size > max_bytes:
        raise MigrationError(too_big)
    try:
        with archive.open(info) as f:
            data = f.read(max_bytes + 1)
    except Exception as e:  # noqa: BLE001 - zipfile raises BadZipFile, zlib.error, EOFError, OSError, ...
        raise damaged(path, e, f"archive member {name!r}") from e
    if len(data) > max_bytes:
        raise MigrationError(too_big)
    return data


def check_weights_member(archive, path, open_h5=False):
    """The archive's weights member, present and, for HDF5, signed as one
    (and opened by h5py if `open_h5`)."""
    names = archive.namelist()
    member = next((m for m in WEIGHTS_MEMBERS if m in names), None)
    if member is None:
        raise MigrationError(
            f"{path}: the archive has no model.weights.h5 (nor model.weights.npz), so it holds an architecture "
            "without weights. Re-save the model, or rebuild it from config.json and load weights from elsewhere."
        )
    if member.endswith(".h5"):
        try:
            with archive.open(member) as f:
                head = f.read(8)
        except Exception as e:  # noqa: BLE001 - as read_member
            raise damaged(path, e, f"archive member {member!r}") from e
        if head != HDF5_SIGNATURE:
            raise MigrationError(
                f"{path}: archive member 'model.weights.h5' is not an HDF5 file (it starts with {head[:8]!r}): the "
                "weights are damaged. Re-save the model from its source."
            )
        if open_h5:
            check_h5_member(archive, member, path)
    return member


def check_h5_member(archive, member, path):
    """Open the HDF5 archive member `member` with h5py: damaged weights are a MigrationError."""
    import h5py  # a dependency of Keras; imported here, where a weights file is read

    try:
        with archive.open(member) as f, h5py.File(f, "r") as weights:
            weights.keys()
    except Exception as e:  # noqa: BLE001 - h5py's OSError for a damaged file, KeyError for a damaged object
        raise damaged(path, e, f"archive member {member!r}") from e


# --------------------------------------------------------------------------
# JSON


def _depth(data):
    """(deepest nesting of [ and {, offset where MAX_DEPTH is passed or -1)."""
    skeleton = np.frombuffer(_STRING.sub(b'""', data), dtype=np.uint8)
    steps = np.zeros(skeleton.shape, dtype=np.int64)
    steps[(skeleton == ord("[")) | (skeleton == ord("{"))] = 1
    steps[(skeleton == ord("]")) | (skeleton == ord("}"))] = -1
    if not steps.size:
        return 0, -1
    depth = np.cumsum(steps)
    over = np.flatnonzero(depth > MAX_DEPTH)
    return int(depth.max()), int(over[0]) if over.size else -1


def parse_json(data, path, where):
    """The JSON value of `data` (bytes or str) from `where` in `path`."""
    if isinstance(data, str):
        bad = _UNDECODED.search(data)
        if bad:
            # h5py hands bytes that are not UTF-8 over as surrogate escapes.
            raise MigrationError(
                f"{path}: {where} is not UTF-8 text (character {bad.start()} is an undecodable byte), so it is not a "
                "Keras config: the file is damaged."
            )
        text, raw = data, data.encode("utf-8", "surrogatepass")
    else:
        raw = bytes(data)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise fail(
                path,
                f"{where} is not UTF-8 text (byte {e.start} is {raw[e.start:e.start + 1]!r}), so it is not a Keras "
                "config: the file is damaged.",
                e,
            ) from e
    if not text.strip():
        raise MigrationError(f"{path}: {where} is empty; a Keras model file holds its config there.")
    deepest, at = _depth(raw)
    if at >= 0:
        raise MigrationError(
            f"{path}: {where} is nested deeper than {MAX_DEPTH} levels (at byte {at}), which no Keras model's config "
            f"is. Received: a config nested {deepest} levels deep. The file is damaged or was made to crash readers."
        )
    try:
        return json.loads(text)
    except RecursionError as e:  # the depth check above makes this unreachable; kept as a guard
        raise fail(path, f"{where} is nested too deeply to read.", e) from e
    except ValueError as e:
        raise fail(path, f"{where} is not valid JSON ({e}): the file is damaged or was edited by hand.", e) from e


# --------------------------------------------------------------------------
# Legacy .h5 files


def h5_text(attrs, key, path):
    """A JSON text attribute of an HDF5 file (None if absent), decoded."""
    try:
        if key not in attrs:
            return None
        value = attrs[key]
    except Exception as e:  # noqa: BLE001 - h5py raises OSError, KeyError, TypeError on damaged attributes
        raise damaged(path, e, f"the {key} attribute") from e
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "OSU":
        value = value[()]
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value)
    if isinstance(value, str):
        return value
    raise MigrationError(
        f"{path}: the {key} attribute is {type(value).__name__} data, not the JSON text Keras writes there. "
        f"Received: {key}={cause_line(value, 60)}. The file is damaged or was edited."
    )


def _names(attrs, key, path, where):
    try:
        if key not in attrs:
            return None
        values = attrs[key]
    except Exception as e:  # noqa: BLE001 - as h5_text
        raise damaged(path, e, f"the {key} attribute of {where}") from e
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        values = [values]
    out = []
    for value in values:
        if isinstance(value, (bytes, np.bytes_)):
            try:
                value = bytes(value).decode("utf-8")
            except UnicodeDecodeError as e:
                raise fail(path, f"the {key} attribute of {where} holds a name that is not UTF-8 text.", e) from e
        if not isinstance(value, str):
            raise MigrationError(f"{path}: the {key} attribute of {where} holds {value!r}, not a name.")
        out.append(value)
    return out


def check_h5_weights(f, path):
    """Every layer the legacy weights group lists has its group and weights."""
    if "model_weights" not in f:
        raise MigrationError(
            f"{path}: the HDF5 file has no model_weights group, so it holds an architecture without weights. "
            "Re-save the model from its source."
        )
    group = f["model_weights"]
    layers = _names(group.attrs, "layer_names", path, "model_weights")
    if layers is None:
        raise MigrationError(
            f"{path}: model_weights has no layer_names attribute, which lists each layer's weights in a Keras 2 "
            "file: the file is damaged. Re-save the model from its source."
        )
    for layer in layers:
        if layer not in group or not hasattr(group[layer], "attrs"):
            raise MigrationError(
                f"{path}: the weights of layer '{layer}' are missing (model_weights lists '{layer}' but holds no "
                "group of that name): the file is damaged. Re-save the model from its source."
            )
        weights = _names(group[layer].attrs, "weight_names", path, f"layer '{layer}'")
        for weight in weights or ():
            if weight not in group[layer]:
                raise MigrationError(
                    f"{path}: layer '{layer}' lists the weight {weight!r} in the file but does not hold it: the "
                    "file is damaged. Re-save the model from its source."
                )
