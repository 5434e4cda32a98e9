"""MS-OVBA compression against the specification's worked examples and a real decompressor."""

from __future__ import annotations

import os

import pytest
from addrkit.addin.ovba_compression import CHUNK_SIZE, compress
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream


def _decompress(container: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(container)))


# [MS-OVBA] 3.2.1 (no compression possible) and 3.2.2 (normal compression).
SPEC_EXAMPLES = [
    (
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
    ),
    (
        b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20"
        " 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C",
    ),
]


@pytest.mark.parametrize(("plain", "expected_hex"), SPEC_EXAMPLES)
def test_spec_examples_compress_byte_for_byte(plain, expected_hex):
    assert compress(plain) == bytes.fromhex(expected_hex)
    assert _decompress(bytes.fromhex(expected_hex)) == plain


def test_spec_maximum_compression_example_recompresses_identically():
    # [MS-OVBA] 3.2.3: a run of one letter becomes a single copy token.
    container = bytes.fromhex("01 03 B0 02 61 45 00")
    plain = _decompress(container)
    assert set(plain) == {ord("a")} and len(plain) > 8
    assert compress(plain) == container


def test_empty_input_is_only_the_signature():
    assert compress(b"") == b"\x01"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3 * CHUNK_SIZE + 17))
def test_round_trip_of_arbitrary_small_alphabet_data(data):
    # Few distinct bytes: compressible, so every chunk is a compressed chunk of any length.
    compressible = bytes(b % 5 + 65 for b in data)
    assert _decompress(compress(compressible)) == compressible


@settings(max_examples=20, deadline=None)
@given(st.binary(min_size=1, max_size=2 * CHUNK_SIZE + 300))
def test_round_trip_of_arbitrary_bytes_up_to_final_padding(data):
    # Incompressible final chunks are written raw; a raw chunk always holds 4096 bytes,
    # so the specification pads a short one with zeros.
    restored = _decompress(compress(data))
    assert restored[: len(data)] == data
    assert set(restored[len(data) :]) <= {0}


def test_random_full_chunks_round_trip_exactly_as_raw_chunks():
    data = os.urandom(2 * CHUNK_SIZE)
    container = compress(data)
    assert len(container) == 1 + 2 * (2 + CHUNK_SIZE)  # two raw chunks
    assert _decompress(container) == data


def test_real_vba_source_round_trips_and_shrinks():
    import xlwings

    path = os.path.join(os.path.dirname(xlwings.__file__), "xlwings_custom_addin.bas")
    with open(path, "rb") as f:
        source = f.read()
    container = compress(source)
    assert _decompress(container) == source
    assert len(container) < len(source) / 2
