"""The built-gazetteer cache: used when good, rebuilt when stale or damaged, safe to race."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from addrkit import parse_many
from addrkit.gazetteer import Gazetteer
from addrkit.gazetteer import cache as cache_module
from addrkit.gazetteer.finder import BUILD_AFTER_CALLS, NameFinder

SAMPLE = [
    "浙江杭州西湖区文三路90号",
    "宁波市江东区航运中心7318",
    "杭州江干区下沙街道文泽路99号",
    "温州苍南龙港镇人民路1号",
    "杭洲市西湖区",
    "北京市朝阳区建国路88号",
    "安微合肥蜀山区",
    "臺北市信義區",
]


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(cache_module.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("gazetteer-*.pickle"))


def _builds(monkeypatch) -> list[int]:
    """Count how often the gazetteer is built from its JSON (not read from the cache)."""
    count = []
    real = Gazetteer._build.__func__

    def counting(cls, raw):
        count.append(1)
        return real(cls, raw)

    monkeypatch.setattr(Gazetteer, "_build", classmethod(counting))
    return count


def _parsed(g: Gazetteer) -> list:
    return list(parse_many(SAMPLE, gazetteer=g))


def test_first_use_writes_the_copy_and_later_loads_read_it(folder, monkeypatch):
    builds = _builds(monkeypatch)
    first = Gazetteer.load()
    assert len(builds) == 1 and len(_copies(folder)) == 1
    again = Gazetteer.load()
    assert len(builds) == 1  # read back, not built
    assert again.codes == first.codes and again.surfaces == first.surfaces
    assert _parsed(again) == _parsed(first)
    assert not list(folder.glob("*.tmp"))


def test_off_means_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv(cache_module.CACHE_DIR_ENV, "off")
    builds = _builds(monkeypatch)
    Gazetteer.load()
    Gazetteer.load()
    assert len(builds) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short (a crash mid-copy, a full disk)
        lambda data: data[:60] + b"\x00garbage" + data[68:],  # changed bytes
        lambda data: b"",  # empty
        lambda data: b"not a cache file at all",
    ],
    ids=["truncated", "corrupt", "empty", "foreign"],
)
def test_a_damaged_copy_is_ignored_and_replaced(folder, monkeypatch, damage):
    Gazetteer.load()
    (path,) = _copies(folder)
    path.write_bytes(damage(path.read_bytes()))
    builds = _builds(monkeypatch)
    g = Gazetteer.load()
    assert len(builds) == 1
    assert g.division("330106").name == "西湖区" and _parsed(g)[0].district == "西湖区"
    assert Gazetteer.load().codes == g.codes and len(builds) == 1  # the copy was rewritten


def test_a_copy_from_another_version_is_not_used(folder, monkeypatch):
    """Another Python, other building code or other data: another key, never read."""
    Gazetteer.load()
    (path,) = _copies(folder)
    data = path.read_bytes()
    header_end = data.index(b"\n", len(cache_module._MAGIC)) + 1
    stale_key = "0" * 64
    # A well-formed copy under a key that differs: a real pickle, just not for this code.
    path.write_bytes(cache_module._MAGIC + stale_key.encode() + b"\n" + data[header_end:])
    builds = _builds(monkeypatch)
    Gazetteer.load()
    assert len(builds) == 1
    key = cache_module.cache_key(b"x")
    assert cache_module.cache_key(b"y") != key  # other data
    monkeypatch.setattr(sys, "version_info", (3, 99, 0, "final", 0))
    assert cache_module.cache_key(b"x") != key  # another Python


def test_other_data_gets_its_own_copy(folder, tmp_path):
    raw = resources.files("addrkit.data").joinpath("gazetteer.json.gz").read_bytes()
    other = tmp_path / "other.json.gz"
    other.write_bytes(raw + b"")  # same bytes: same key, same copy
    Gazetteer.load()
    Gazetteer.load(other)
    assert len(_copies(folder)) == 1


def test_an_unwritable_folder_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv(cache_module.CACHE_DIR_ENV, str(blocker / "cache"))
    assert Gazetteer.load().division("330106").name == "西湖区"


RACER = """
import sys
from addrkit import parse_address
from addrkit.gazetteer import default_gazetteer
a = parse_address("杭州江干区下沙街道文泽路99号")
print(a.district, a.as_written.district, len(default_gazetteer()))
"""


def test_processes_racing_on_the_first_run_all_succeed_and_leave_one_good_copy(folder):
    env = {**os.environ, cache_module.CACHE_DIR_ENV: str(folder)}
    racers = [
        subprocess.Popen([sys.executable, "-c", RACER], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]  # fmt: skip
    outputs = [p.communicate(timeout=300) for p in racers]
    assert all(p.returncode == 0 for p in racers), [err for _out, err in outputs]
    assert {out for out, _err in outputs} == {f"钱塘区 江干区 {len(Gazetteer.load())}\n"}
    (path,) = _copies(folder)
    assert not list(folder.glob("*.tmp"))
    # The copy left behind is whole: a fresh process reads it without building.
    check = subprocess.run(
        [sys.executable, "-c",
         "from addrkit.gazetteer import Gazetteer\n"
         "Gazetteer._build = classmethod(lambda cls, raw: (_ for _ in ()).throw(SystemExit(3)))\n"
         + RACER],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("钱塘区 江干区")


def test_saved_and_fast_finders_find_the_same_names():
    g = Gazetteer.load()
    fresh = g.name_finder  # built from the names: the fast automaton
    saved = pickle.loads(pickle.dumps(fresh))  # what the cache gives: the saved one first
    texts = SAMPLE + ["", "abc", "中国浙江省杭州市余杭区五常街道文一西路969号", "𠀀浙江"]
    for text in texts:
        expected = sorted(fresh.find_matches_as_indexes(text, overlapping=True))
        assert sorted(saved.find_matches_as_indexes(text, overlapping=True)) == expected
    assert saved.find_matches_as_indexes.__name__ == "_find_saved"
    saved.wait()
    assert saved.find_matches_as_indexes.__name__ != "_find_saved"
    for text in texts:
        expected = sorted(fresh.find_matches_as_indexes(text, overlapping=True))
        assert sorted(saved.find_matches_as_indexes(text, overlapping=True)) == expected


def test_the_fast_finder_is_built_after_enough_texts():
    saved = pickle.loads(pickle.dumps(NameFinder(["浙江", "杭州"])))
    for _ in range(BUILD_AFTER_CALLS):
        saved.find_matches_as_indexes("浙江杭州", overlapping=True)
    saved._building.join(timeout=60)
    assert saved.find_matches_as_indexes.__name__ != "_find_saved"
    assert sorted(saved.find_matches_as_indexes("浙江杭州")) == [(0, 0, 2), (1, 2, 4)]


def test_a_build_started_early_is_built_once_and_answers_the_same():
    fresh = NameFinder(["浙江", "浙江省", "杭州"])
    assert fresh.ready()  # built from the names: nothing to wait for
    saved = pickle.loads(pickle.dumps(fresh))
    assert not saved.ready()
    saved.prepare()
    thread = saved._building
    saved.prepare()  # a second call starts no second build
    assert saved._building is thread
    for _ in range(BUILD_AFTER_CALLS + 1):  # nor does the count of texts answered
        assert sorted(saved.find_matches_as_indexes("浙江省杭州", overlapping=True)) == [
            (0, 0, 2),
            (1, 0, 3),
            (2, 3, 5),
        ]
        assert saved._building in (thread, None)
    saved.wait()
    assert saved.ready()
    fast = saved.find_matches_as_indexes
    saved.wait()  # waiting again does not build it again
    assert saved.find_matches_as_indexes is fast
    assert sorted(fast("浙江省杭州", overlapping=True)) == [(0, 0, 2), (1, 0, 3), (2, 3, 5)]
