"""The compound-file writer, read back by olefile (an independent reader)."""

from __future__ import annotations

import io
import os

import olefile
import pytest
from addrkit.addin.cfb import MINI_STREAM_CUTOFF, write_compound_file


def _open(blob: bytes) -> olefile.OleFileIO:
    # DEFECT_INCORRECT: olefile raises on anything the specification calls incorrect.
    return olefile.OleFileIO(io.BytesIO(blob), raise_defects=olefile.DEFECT_INCORRECT)


def test_streams_small_and_large_read_back_exactly():
    streams = {
        "PROJECT": b"ID=...\r\n",
        "PROJECTwm": b"",
        "VBA/_VBA_PROJECT": bytes.fromhex("cc61ffff000000"),
        "VBA/dir": os.urandom(MINI_STREAM_CUTOFF),  # exactly at the cutoff: a normal stream
        "VBA/big": os.urandom(70_000),
        "VBA/small": os.urandom(MINI_STREAM_CUTOFF - 1),  # just below: in the mini stream
    }
    streams.update({f"VBA/Module{i}": os.urandom(i * 97) for i in range(1, 40)})
    ole = _open(write_compound_file(streams))
    for path, data in streams.items():
        assert ole.openstream(path).read() == data, path
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(streams)


def test_same_input_gives_same_bytes():
    streams = {"A": b"1" * 10, "S/B": b"2" * 5000}
    assert write_compound_file(streams) == write_compound_file(dict(reversed(streams.items())))


def test_sibling_tree_is_a_valid_binary_search_tree_with_equal_black_heights():
    names = [f"M{i}" for i in range(23)] + ["dir", "_VBA_PROJECT", "ThisWorkbook"]
    ole = _open(write_compound_file({f"VBA/{n}": b"x" for n in names}))
    storage = next(e for e in ole.direntries if e is not None and e.name == "VBA")

    def key(sid):
        name = ole.direntries[sid].name
        return (len(name), name.upper())

    def walk(sid, low, high):
        if sid == olefile.NOSTREAM:
            return 1
        entry = ole.direntries[sid]
        assert (low is None or key(low) < key(sid)) and (high is None or key(sid) < key(high))
        left = walk(entry.sid_left, low, sid)
        right = walk(entry.sid_right, sid, high)
        assert left == right  # black height
        if entry.color == 0:  # red nodes have black children
            for child in (entry.sid_left, entry.sid_right):
                assert child == olefile.NOSTREAM or ole.direntries[child].color == 1
        return left + (entry.color == 1)

    walk(storage.sid_child, None, None)


def test_name_longer_than_31_characters_is_refused():
    with pytest.raises(ValueError, match="31 characters"):
        write_compound_file({"x" * 32: b""})
