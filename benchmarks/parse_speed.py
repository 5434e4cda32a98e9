"""Parsing speed of addrkit against cpca 0.5.5, measured in the same run.

Three measurements, on the NCAP dev+train texts repeated to ``--lines`` lines:

1. In-process throughput after load: ``list(addrkit.parse_many(texts))`` against
   ``cpca.transform(texts)``, alternating, median of ``--runs`` runs each, addrkit's
   caches emptied before each run; then the same on each distinct text once (no
   repeats at all: the worst case for addrkit's per-name-set cache).
   jionlp is timed once on a small sample for reference (it is ~100x slower).
2. End to end, whole process against whole process: ``addrkit parse < in > out``
   against a small Python program that reads the same file, runs cpca's batch
   ``transform`` and writes JSON lines (pandas' ``to_json(lines=True)``).
3. Bounded memory: peak RSS of ``addrkit parse`` on ``--lines`` lines and on ten
   times as many should be about equal when it streams.

Usage (from the repository root, in the benchmark venv)::

    python -m benchmarks.parse_speed --runs 5
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.ncap import NcapNotFoundError, Split, read_split
from benchmarks.proc import (
    ProcessFailedError,
    ProcessSample,
    machine_summary,
    median,
    run_measured,
)
from benchmarks.tools import ToolNotInstalledError, make_tool
from benchmarks.varied import distinct_lines

TARGET_IN_PROCESS = 50_000  # addresses a second, one process, after load
TARGET_END_TO_END_RATIO = 1.5  # addrkit parse at least 1.5x as fast as cpca's batch transform

# The cpca baseline as a whole process: read stdin, one batch transform, JSON lines out.
CPCA_BATCH_PROGRAM = """\
import sys
import cpca
lines = sys.stdin.read().splitlines()
frame = cpca.transform(lines)
frame.insert(0, "input", lines)
text = frame.to_json(orient="records", lines=True, force_ascii=False)
sys.stdout.write(text if text.endswith("\\n") else text + "\\n")
"""


def corpus_texts(lines: int, data_dir: Path | None) -> list[str]:
    """The dev+train texts, cycled to exactly ``lines`` lines."""
    texts = [a.text for split in Split for a in read_split(split, data_dir)]
    return list(itertools.islice(itertools.cycle(texts), lines))


@dataclass(frozen=True, slots=True)
class Throughput:
    label: str
    seconds: list[float]
    count: int
    cpu_seconds: tuple[float, ...] = ()  # this process's CPU time per run (time.process_time)

    @property
    def per_second(self) -> float:
        return self.count / median(self.seconds)


def _time_once(function: Callable[[], object], cpu: list[float] | None = None) -> float:
    started, started_cpu = time.perf_counter(), time.process_time()
    function()
    if cpu is not None:
        cpu.append(time.process_time() - started_cpu)
    return time.perf_counter() - started


def in_process(
    texts: list[str], runs: int, jionlp_sample: int, label: str = ""
) -> list[Throughput]:
    """Median throughput of each tool on the same list, after each has loaded.

    addrkit's caches (the structures it works out per set of division names) are
    emptied before each of its runs: every run starts as a fresh process would,
    after load, so repeated texts help only as they would help a real run.
    """
    import addrkit
    from addrkit.gazetteer import default_gazetteer

    cpca = make_tool("cpca").module
    addrkit.parse_address("浙江杭州西湖区文三路90号")  # load the gazetteer outside the timing
    cpca.transform(["浙江杭州西湖区文三路90号"])
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for _ in range(runs):  # alternate so drift in the machine hits both alike
        default_gazetteer().memo.clear()
        ours.append(_time_once(lambda: list(addrkit.parse_many(texts)), ours_cpu))
        theirs.append(_time_once(lambda: cpca.transform(texts), theirs_cpu))
    results = [
        Throughput(
            f"addrkit {addrkit.__version__} parse_many{label}", ours, len(texts), tuple(ours_cpu)
        ),
        Throughput(
            f"cpca {make_tool('cpca').version} transform{label}",
            theirs,
            len(texts),
            tuple(theirs_cpu),
        ),
    ]
    if jionlp_sample:
        jionlp = make_tool("jionlp")
        sample = texts[:jionlp_sample]
        jionlp.predict_many(sample[:1])  # load its dictionaries
        seconds = _time_once(lambda: jionlp.predict_many(sample))
        results.append(
            Throughput(f"jionlp {jionlp.version} parse_location (1 run)", [seconds], len(sample))
        )
    return results


def _addrkit_command() -> list[str]:
    script = Path(sys.executable).with_name("addrkit")
    if script.exists():
        return [str(script), "parse"]
    return [sys.executable, "-m", "addrkit.cli", "parse"]


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


@dataclass(frozen=True, slots=True)
class EndToEnd:
    ours: list[ProcessSample]
    theirs: list[ProcessSample]

    @property
    def ratio(self) -> float:
        return median([s.seconds for s in self.theirs]) / median([s.seconds for s in self.ours])


def end_to_end(input_path: Path, workdir: Path, runs: int) -> EndToEnd:
    """Whole-process timings of ``addrkit parse`` and the cpca batch program, alternating."""
    expected = _count_lines(input_path)
    commands = {
        "addrkit": _addrkit_command(),
        "cpca": [sys.executable, "-c", CPCA_BATCH_PROGRAM],
    }
    samples: dict[str, list[ProcessSample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            out = workdir / f"{name}.jsonl"
            samples[name].append(run_measured(command, input_path, out))
            produced = _count_lines(out)
            if produced != expected:
                raise RuntimeError(f"{name} wrote {produced} lines for {expected} input lines")
    return EndToEnd(samples["addrkit"], samples["cpca"])


COLD_START_PROGRAM = "import addrkit; addrkit.parse_address('浙江杭州西湖区文三路90号')"


def cold_start(runs: int) -> tuple[list[ProcessSample], list[ProcessSample]]:
    """Whole-process time of import + load + first address (the built-gazetteer cache
    warmed by a first run), against a bare interpreter start in the same run."""
    program = [sys.executable, "-c", COLD_START_PROGRAM]
    run_measured(program)  # the cache is written on first use: later runs read it
    ours, bare = [], []
    for _ in range(runs):
        ours.append(run_measured(program))
        bare.append(run_measured([sys.executable, "-c", "pass"]))
    return ours, bare


def streaming_memory(input_path: Path, workdir: Path, factor: int) -> tuple[int, int]:
    """Peak RSS of ``addrkit parse`` on the file and on the file repeated ``factor`` times."""
    big = workdir / "big.txt"
    with big.open("wb") as target:
        for _ in range(factor):
            with input_path.open("rb") as source:
                shutil.copyfileobj(source, target)
    small_rss = run_measured(_addrkit_command(), input_path, None).max_rss_bytes
    big_rss = run_measured(_addrkit_command(), big, None).max_rss_bytes
    return small_rss, big_rss


def _cpu(samples: Sequence[ProcessSample]) -> float:
    return median([s.cpu_seconds for s in samples])


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def report(
    lines: int,
    runs: int,
    throughputs: Sequence[Throughput],
    e2e: EndToEnd | None,
    memory: tuple[int, int] | None,
    factor: int,
    distinct: Sequence[Throughput] = (),
) -> str:
    out = [f"Machine: {machine_summary()}", ""]
    out += [
        f"In-process throughput after load, {lines:,} NCAP lines (the corpus cycled), and "
        f"each distinct text once; median of {runs} runs, addrkit's caches emptied before "
        "each run:",
        "",
        "| tool | median s | addr/s | median CPU s |",
        "|---|---:|---:|---:|",
    ]
    for t in (*throughputs, *distinct):
        cpu = f"{median(t.cpu_seconds):.3f}" if t.cpu_seconds else "-"
        out.append(f"| {t.label} | {median(t.seconds):.3f} | {t.per_second:,.0f} | {cpu} |")
    out.append("")
    for pair, what in ((throughputs, f"{lines:,} lines"), (distinct, "distinct texts")):
        if len(pair) < 2:
            continue
        ratio = pair[0].per_second / pair[1].per_second
        verdict = "meets" if pair[0].per_second >= TARGET_IN_PROCESS else "misses"
        out.append(
            f"{what}: addrkit / cpca {ratio:.2f}x; addrkit {verdict} the target of "
            f"{TARGET_IN_PROCESS:,} addr/s."
        )
        if pair[0].cpu_seconds and pair[1].cpu_seconds:
            cpu_ratio = median(pair[1].cpu_seconds) / median(pair[0].cpu_seconds)
            out.append(f"{what}, by CPU time: addrkit / cpca {cpu_ratio:.2f}x.")
    if e2e:
        ours = median([s.seconds for s in e2e.ours])
        theirs = median([s.seconds for s in e2e.theirs])
        verdict = "meets" if e2e.ratio >= TARGET_END_TO_END_RATIO else "misses"
        out += [
            "",
            f"End to end, whole process, {lines:,} lines in → JSON lines out, "
            f"median of {runs} alternating runs:",
            "",
            "| command | median s | addr/s | peak RSS | median CPU s |",
            "|---|---:|---:|---:|---:|",
            f"| addrkit parse < in > out | {ours:.2f} | {lines / ours:,.0f} | "
            f"{_mb(median([s.max_rss_bytes for s in e2e.ours]))} | {_cpu(e2e.ours):.2f} |",
            f"| python: cpca.transform(all lines) → to_json(lines=True) | {theirs:.2f} | "
            f"{lines / theirs:,.0f} | {_mb(median([s.max_rss_bytes for s in e2e.theirs]))} | "
            f"{_cpu(e2e.theirs):.2f} |",
            "",
            f"cpca / addrkit wall time: {e2e.ratio:.2f}x; addrkit {verdict} the target of "
            f"{TARGET_END_TO_END_RATIO}x. CPU time: {_cpu(e2e.theirs) / _cpu(e2e.ours):.2f}x.",
        ]
    if memory:
        small, big = memory
        out += [
            "",
            f"Streaming: peak RSS of `addrkit parse` on {lines:,} lines {_mb(small)}, "
            f"on {lines * factor:,} lines {_mb(big)} (ratio {big / small:.2f}).",
        ]
    return "\n".join(out) + "\n"


def _more_report(lines: int, runs: int, e2e_distinct: EndToEnd | None, cold) -> str:
    out = []
    if e2e_distinct:
        ours = median([s.seconds for s in e2e_distinct.ours])
        theirs = median([s.seconds for s in e2e_distinct.theirs])
        out += [
            "",
            f"End to end on {lines:,} distinct lines (NCAP texts, numbers varied), median of "
            f"{runs} alternating runs (`addrkit parse` with its default --jobs):",
            "",
            "| command | median s | addr/s | median CPU s |",
            "|---|---:|---:|---:|",
            f"| addrkit parse < in > out | {ours:.2f} | {lines / ours:,.0f} | "
            f"{_cpu(e2e_distinct.ours):.2f} |",
            f"| python: cpca.transform(all lines) → to_json(lines=True) | {theirs:.2f} | "
            f"{lines / theirs:,.0f} | {_cpu(e2e_distinct.theirs):.2f} |",
            "",
            f"cpca / addrkit wall time: {e2e_distinct.ratio:.2f}x. CPU time (all workers "
            f"counted): {_cpu(e2e_distinct.theirs) / _cpu(e2e_distinct.ours):.2f}x.",
        ]
    ours, bare = cold
    wall = median([s.seconds for s in ours])
    out += [
        "",
        f"Cold start (new process: import addrkit, load, first address; gazetteer cache "
        f"warm), median of {runs}: {wall:.3f} s (CPU {_cpu(ours):.3f} s); a bare "
        f"`python -c pass` in the same run: {median([s.seconds for s in bare]):.3f} s "
        f"(CPU {_cpu(bare):.3f} s).",
    ]
    return "\n".join(out) + "\n"


def build_arg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000, help="lines per run (default 100k)")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool (median reported)")
    parser.add_argument("--jionlp-sample", type=int, default=300, help="0 to leave jionlp out")
    parser.add_argument("--memory-factor", type=int, default=10, help="0 skips the memory check")
    parser.add_argument("--skip-end-to-end", action="store_true")
    parser.add_argument(
        "--distinct-end-to-end",
        action="store_true",
        help="also time whole processes on --lines distinct lines (numbers varied)",
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "out" / "parse_speed.md"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_arg_parser().parse_args(argv)
    try:
        texts = corpus_texts(args.lines, args.data_dir)
        print(f"in-process: {len(texts):,} lines × {args.runs} runs …", file=sys.stderr)
        throughputs = in_process(texts, args.runs, args.jionlp_sample)
        distinct = list(dict.fromkeys(texts))
        print(f"in-process: {len(distinct):,} distinct texts × {args.runs} runs …", file=sys.stderr)
        distinct_throughputs = in_process(distinct, args.runs, 0, label=" (each text once)")
        e2e = memory = e2e_distinct = None
        with tempfile.TemporaryDirectory(prefix="addrkit-speed-") as tmp:
            workdir = Path(tmp)
            input_path = workdir / "input.txt"
            input_path.write_text("\n".join(texts) + "\n", encoding="utf-8")
            if not args.skip_end_to_end:
                print("end to end …", file=sys.stderr)
                e2e = end_to_end(input_path, workdir, args.runs)
            if args.distinct_end_to_end:
                print("end to end, distinct lines …", file=sys.stderr)
                varied_path = workdir / "distinct.txt"
                every = [a.text for split in Split for a in read_split(split, args.data_dir)]
                varied = distinct_lines(every, args.lines)
                varied_path.write_text("\n".join(varied) + "\n", encoding="utf-8")
                e2e_distinct = end_to_end(varied_path, workdir, args.runs)
            print("cold start …", file=sys.stderr)
            cold = cold_start(args.runs)
            if args.memory_factor:
                print(f"streaming memory, ×{args.memory_factor} …", file=sys.stderr)
                memory = streaming_memory(input_path, workdir, args.memory_factor)
    except (NcapNotFoundError, ToolNotInstalledError, ProcessFailedError) as err:
        print(f"parse_speed: {err}", file=sys.stderr)
        return 2
    text = report(
        args.lines, args.runs, throughputs, e2e, memory, args.memory_factor, distinct_throughputs
    )
    text += _more_report(args.lines, args.runs, e2e_distinct, cold)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
