"""MS-OVBA compression (section 2.4.1 of the [MS-OVBA] specification).

VBA source code and the ``dir`` stream inside ``vbaProject.bin`` are stored as a
*CompressedContainer*: a signature byte followed by chunks, each holding at most
4096 bytes of decompressed data. Inside a chunk, flag bytes announce groups of up
to eight tokens; a token is a literal byte or a two-byte copy token pointing back
into the data already decompressed in the same chunk.

The matching follows the specification's own procedure (longest match, nearest
candidate on ties), so the worked examples of section 3.2 come out byte for byte.
Candidates are found through a table of three-byte prefixes instead of the
specification's scan over every earlier position: a match shorter than three
bytes is never used, so both find the same best match.
"""

from __future__ import annotations

import struct

__all__ = ["compress"]

CHUNK_SIZE = 4096
_SIGNATURE = b"\x01"
_MIN_MATCH = 3
# Chunk header: 12 bits size-3, 3 bits signature 0b011, 1 bit "compressed" flag.
_HEADER_SIGNATURE = 0b011 << 12
_HEADER_COMPRESSED = 1 << 15


def compress(data: bytes) -> bytes:
    """Compress bytes into an MS-OVBA CompressedContainer.

    Parameters
    ----------
    data : bytes
        Decompressed bytes (VBA source in the project's code page, or a ``dir`` stream).

    Returns
    -------
    bytes
        ``0x01`` followed by one compressed (or raw) chunk per 4096 input bytes.

    Examples
    --------
    >>> compress(b"abcdefghijklmnopqrstuv.").hex(" ")[:23]
    '01 19 b0 00 61 62 63 64'
    """
    out = bytearray(_SIGNATURE)
    for start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(bytes(data[start : start + CHUNK_SIZE]))
    return bytes(out)


def _copy_token_shape(position: int) -> tuple[int, int]:
    """(bit count of the offset field, longest length) for a token at ``position`` in a chunk."""
    bit_count = max((position - 1).bit_length(), 4)
    maximum_length = (0xFFFF >> bit_count) + _MIN_MATCH
    return bit_count, maximum_length


def _match_length(chunk: bytes, candidate: int, current: int) -> int:
    """How many bytes from ``candidate`` repeat those from ``current`` (overlap allowed)."""
    limit = len(chunk) - current
    length = _MIN_MATCH  # the prefix table guarantees the first three bytes agree
    step = 16
    while length < limit:
        end = min(length + step, limit)
        if chunk[candidate + length : candidate + end] == chunk[current + length : current + end]:
            length = end
            step *= 2
            continue
        while chunk[candidate + length] == chunk[current + length]:
            length += 1
        break
    return length


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    prefixes: dict[bytes, list[int]] = {}  # three-byte prefix -> positions, oldest first
    indexed = 0  # positions below this are in `prefixes`
    current = 0
    while current < len(chunk):
        flag_index = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if current >= len(chunk):
                break
            for position in range(indexed, current):
                prefixes.setdefault(chunk[position : position + 3], []).append(position)
            indexed = current
            best_length, best_candidate = 0, -1
            if current + _MIN_MATCH <= len(chunk):
                for candidate in reversed(prefixes.get(chunk[current : current + 3], ())):
                    length = _match_length(chunk, candidate, current)
                    if length > best_length:
                        best_length, best_candidate = length, candidate
            if best_length >= _MIN_MATCH:
                bit_count, maximum_length = _copy_token_shape(current)
                length = min(best_length, maximum_length)
                offset = current - best_candidate
                token = ((offset - 1) << (16 - bit_count)) | (length - _MIN_MATCH)
                body += struct.pack("<H", token)
                flags |= 1 << bit
                current += length
            else:
                body.append(chunk[current])
                current += 1
        body[flag_index] = flags
    if len(body) > CHUNK_SIZE:
        # Incompressible: a raw chunk always carries 4096 bytes, padded with zeros.
        header = _HEADER_SIGNATURE | (CHUNK_SIZE - 1)
        return struct.pack("<H", header) + chunk.ljust(CHUNK_SIZE, b"\x00")
    header = _HEADER_COMPRESSED | _HEADER_SIGNATURE | (len(body) + 2 - 3)
    return struct.pack("<H", header) + bytes(body)
