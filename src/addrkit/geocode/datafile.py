"""The container format of the derived boundary file (``addrkit/data/boundaries.bin.gz``).

One gzip stream: a 4-byte little-endian length, a JSON header, then raw little-endian
arrays one after another. The header names each array with its dtype, shape and byte
offset, and carries any JSON-able metadata. No pickle is involved (nothing executable is
read back) and gzip's mtime is zero, so a rebuild from the same inputs is byte-identical.
"""

from __future__ import annotations

import gzip
import json
import struct

import numpy as np

__all__ = ["pack", "unpack"]

_ALLOWED_KINDS = "iuf"  # integers and floats only: strings go into the JSON header


def pack(header: dict, arrays: dict[str, np.ndarray]) -> bytes:
    """Bytes of a container holding ``header`` (JSON-able) and numeric ``arrays``.

    Examples
    --------
    >>> blob = pack({"a": 1}, {"x": np.arange(3, dtype=np.int32)})
    >>> meta, arrays = unpack(blob)
    >>> meta["a"], arrays["x"].tolist()
    (1, [0, 1, 2])
    """
    layout, chunks, offset = {}, [], 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.kind not in _ALLOWED_KINDS:
            raise TypeError(f"array {name!r} has dtype {array.dtype}; numbers only")
        array = array.astype(array.dtype.newbyteorder("<"), copy=False)
        layout[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        chunks.append(array.tobytes())
        offset += array.nbytes
    head = json.dumps(
        {"header": header, "arrays": layout}, ensure_ascii=False, sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")  # fmt: skip
    raw = struct.pack("<I", len(head)) + head + b"".join(chunks)
    return gzip.compress(raw, compresslevel=9, mtime=0)


def unpack(blob: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """The header and arrays of a container made by :func:`pack`.

    Raises
    ------
    ValueError
        The bytes are not such a container (damaged or truncated).
    """
    try:
        raw = gzip.decompress(blob)
        (size,) = struct.unpack_from("<I", raw)
        head = json.loads(raw[4 : 4 + size])
        base = 4 + size
        arrays = {}
        for name, spec in head["arrays"].items():
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            start = base + spec["offset"]
            if start + count * dtype.itemsize > len(raw):
                raise ValueError(f"array {name!r} is truncated")
            arrays[name] = np.frombuffer(raw, dtype, count, start).reshape(spec["shape"])
        return head["header"], arrays
    except (OSError, EOFError, struct.error, KeyError, TypeError) as err:
        raise ValueError(f"not a boundary container: {err}") from err
