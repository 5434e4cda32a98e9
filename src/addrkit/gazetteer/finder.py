"""Every division name in a text in one compiled pass, ready in milliseconds.

Two Aho-Corasick automata over the same 127,000 names give the same matches:

- ``ahocorasick_rs`` (Rust) answers a text in about 2 µs but takes a quarter of a
  second to build, and cannot be saved: every process pays that at start;
- ``pyahocorasick`` (C) is about three times slower per text but can be pickled, so a
  process that finds it in the built-gazetteer cache has it in under 10 ms.

A finder loaded from the cache answers with the saved automaton at once and builds the
fast one in a thread (the Rust build releases the interpreter lock), then switches to
it: a formula's first answer does not wait for the build, a million-line run does not
pay the slower search.
"""

from __future__ import annotations

import os
import threading
import weakref

import ahocorasick
from ahocorasick_rs import AhoCorasick

__all__ = ["NameFinder"]


class NameFinder:
    """``find_matches_as_indexes(text, overlapping=True)`` → [(surface id, start, end)].

    The same call as ``ahocorasick_rs.AhoCorasick`` (the callers' code is the same
    either way); every match, overlapping ones included, in no particular order.

    Examples
    --------
    >>> finder = NameFinder(["浙江", "浙江省", "杭州"])
    >>> sorted(finder.find_matches_as_indexes("浙江省杭州市", overlapping=True))
    [(0, 0, 2), (1, 0, 3), (2, 3, 5)]
    >>> import pickle
    >>> again = pickle.loads(pickle.dumps(finder))
    >>> sorted(again.find_matches_as_indexes("在杭州", overlapping=True))  # the saved one
    [(2, 1, 3)]
    >>> again.wait() and sorted(again.find_matches_as_indexes("在杭州", overlapping=True))
    [(2, 1, 3)]
    """

    def __init__(self, surfaces: list[str]) -> None:
        self._surfaces = surfaces
        self._saved: ahocorasick.Automaton | None = None  # built only when pickled
        self._building: threading.Thread | None = None
        self.find_matches_as_indexes = AhoCorasick(
            surfaces, store_patterns=False
        ).find_matches_as_indexes

    # -------------------------------------------------------------- pickling
    def __getstate__(self) -> dict:
        automaton = self._saved
        if automaton is None:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for sid, surface in enumerate(self._surfaces):
                automaton.add_word(surface, sid)
            automaton.make_automaton()
        return {"surfaces": self._surfaces, "automaton": automaton}

    def __setstate__(self, state: dict) -> None:
        self._surfaces = surfaces = state["surfaces"]
        self._saved = state["automaton"]
        self._lengths = [len(s) for s in surfaces]
        self._iterate = self._saved.iter
        self._calls = 0
        self._building = None
        self.find_matches_as_indexes = self._find_saved
        _SAVED_IN_USE.add(self)

    def _find_saved(self, text: str, overlapping: bool = True) -> list[tuple[int, int, int]]:
        """Every match (overlapping always: the only kind the callers ask for)."""
        self._calls += 1
        if self._calls == BUILD_AFTER_CALLS and self._building is None:
            self._start_building()
        lengths = self._lengths
        return [(sid, end + 1 - lengths[sid], end + 1) for end, sid in self._iterate(text)]

    def _start_building(self) -> None:
        # Not a daemon: a process that ends mid-build waits for it (the Rust build cannot
        # be abandoned while the interpreter shuts down).
        self._building = threading.Thread(target=self._build_fast, name="addrkit-names")
        self._building.start()

    def _build_fast(self) -> None:
        fast = AhoCorasick(self._surfaces, store_patterns=False)
        self.find_matches_as_indexes = fast.find_matches_as_indexes  # one atomic swap
        _SAVED_IN_USE.discard(self)
        # The saved automaton stays: a call that began before the swap may still use it.

    def prepare(self) -> None:
        """Start building the fast automaton now, in the background (a process about to
        fork workers parses meanwhile: the build releases the interpreter lock)."""
        if self._saved is not None and self._building is None and not self.ready():
            self._start_building()

    def ready(self) -> bool:
        """Whether the fast automaton is in use (``wait`` would not block)."""
        return self._saved is None or self.find_matches_as_indexes != self._find_saved

    def wait(self) -> bool:
        """Use the fast automaton from now on, building it here if need be (before forking
        workers: they then share it instead of each building one). Returns True."""
        self.prepare()
        if self._building is not None:
            self._building.join()
            self._building = None
        return True


# A process that answers a few addresses never needs the fast automaton; one that answers
# thousands starts building it after these many texts (a few tens of milliseconds in).
BUILD_AFTER_CALLS = 1000
_SAVED_IN_USE: weakref.WeakSet[NameFinder] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """A build thread does not survive a fork: the child starts its own when it needs one."""
    for finder in list(_SAVED_IN_USE):
        finder._calls = 0
        finder._building = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
