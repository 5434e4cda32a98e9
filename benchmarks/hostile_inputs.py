"""Hostile and unusual inputs, counted: what addrkit did with each, in how long, in how much memory.

Three parts, each printing a table (appended to docs/benchmarks.md with ``--write``):

1. Files: ``addrkit run clean`` in a child process on a zip bomb, an XML entity bomb, a
   truncated file, an .xls and a CSV renamed .xlsx, a password-protected and a
   zip-encrypted workbook, a sheet 100,000 columns wide, and (``--huge``) a sheet of
   1,048,576 rows of 32,767 characters. Each must exit 1 with its own message, no
   traceback, the file byte-identical. Baseline in the same run: the same command on the
   normal test workbook.
2. Formula injection: ``--payloads`` random strings starting = + - @ tab CR or a DDE
   payload, written through every writer (loaded and streamed xlsx, log, CSV) and read
   back: formula cells found and customer strings lost must both be 0.
3. Formulas: ``--cells`` random cells (Unicode, numbers, NaN, errors, None, nested arrays,
   32,767-character text) through every formula: exceptions and unreadable results must
   be 0.

Examples
--------
python benchmarks/hostile_inputs.py --payloads 2000 --cells 20000 --write
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.proc import machine_summary, run_measured  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
LEADS = ["=", "+", "-", "@", "\t", "\r", "=cmd|' /C calc'!A0", "=HYPERLINK(", "@SUM(", "-2+3+cmd|'"]


def _huge(path: Path) -> Path:
    """1,048,576 rows of one 32,767-character cell (~34 GB of XML, ~35 MB on disk)."""
    text = "地" * 32_767
    row = f'<c t="inlineStr"><is><t>{text}</t></is></c>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        plain = zipfile.ZipFile(_normal(path.with_suffix(".n.xlsx")))
        for item in plain.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item, plain.read(item.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = "".join(f'<row r="{{}}">{row}</row>' for _ in range(1)).encode()
            for r in range(1, 1_048_577):
                part.write(chunk.replace(b"{}", str(r).encode()))
            part.write(b"</sheetData></worksheet>")
    return path


def _normal(path: Path) -> Path:
    from workbook.books import make_book

    return make_book(path)


def hostile_files(workdir: Path, huge: bool) -> list[dict]:
    from workbook import special_books as sb

    makers = {
        "normal workbook (baseline)": _normal,
        "zip bomb (3 GB of XML in 3 MB)": lambda p: sb.make_zip_bomb(p, size=3 << 30),
        "XML entity bomb (billion laughs)": sb.make_entity_bomb,
        "truncated download": lambda p: p.write_bytes(_normal(p).read_bytes()[:-400]) and p,
        ".xls renamed .xlsx": lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8000)) and p,
        ".csv renamed .xlsx": lambda p: p.write_text("客户名称,地址\n甲,杭州\n", encoding="utf-8") and p,
        "password-protected (Office encryption)": sb.make_encrypted,
        "zip-encrypted entries": sb.make_zip_encrypted,
        "100,000 columns": sb.make_wide,
        "macro-enabled .xlsm (six VBA modules)": lambda p: sb.make_xlsm(p.with_suffix(".xlsm")),
    }
    if huge:
        makers["1,048,576 rows × 32,767 characters"] = _huge
    results = []
    for i, (label, make) in enumerate(makers.items()):
        path = workdir / f"case{i}.xlsx"
        made = make(path)
        path = made if isinstance(made, Path) else path
        before = path.read_bytes()
        sample = run_measured(
            [sys.executable, "-m", "addrkit.cli", "run", "clean", str(path), "--quiet"], check=False
        )
        unchanged = path.read_bytes() == before
        first = next((ln for ln in sample.stderr.splitlines() if ln.startswith("addrkit:")), "")
        if path.suffix == ".xlsm":
            first = f"written; VBA modules read back by olevba: {len(sb.vba_module_names(path))} of 6"
        results.append(
            {
                "case": label,
                "exit": sample.returncode,
                "seconds": sample.seconds,
                "mib": sample.max_rss_bytes / 2**20,
                "unchanged": unchanged,
                "traceback": "Traceback" in sample.stderr,
                "message": _english(first)[:110],
            }
        )
        print(results[-1], flush=True)
        for p in workdir.iterdir():
            if p.is_file():
                p.unlink()
    return results


def _english(message: str) -> str:
    """The English half of a bilingual message ("中文 / English")."""
    match = re.search(r"/ (?=[A-Za-z0-9])", message)
    return message[match.end() :] if match else message


def _payload(rng: random.Random) -> str:
    alphabet = "浙江杭州市区路号 0123456789abcXYZ()|!'\"&$,;:/\\#%*^<>=+-@\u3000\u200b😀臺"
    return rng.choice(LEADS) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))


def injection(workdir: Path, payloads: int, seed: int) -> dict:
    import openpyxl
    from workbook.books import make_book

    from addrkit.cli import main
    from addrkit.workbook.layout import cell_value
    from addrkit.workbook.run_file import run_file

    rng = random.Random(seed)
    texts = [_payload(rng) for _ in range(payloads)]
    formulas = lost = written = 0
    for streamed in (False, True):
        rows = [[f"C{i}", t, "13812345678", t, t] for i, t in enumerate(texts, 1)]
        path = make_book(workdir / f"inj{streamed}.xlsx", rows=rows)
        ops = ["clean", "summary"] + ([] if streamed else ["dedupe"])
        run_file(ops, path, stream_rows=0 if streamed else 10**9)
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    xml = archive.read(name).decode()
                    formulas += xml.count("<f>") + xml.count("<f ")
        wb = openpyxl.load_workbook(path)
        strings = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
        for t in texts:
            kept = cell_value(t)
            written += 1
            lost += kept is not None and bool(kept.strip()) and kept not in strings
    src, out = workdir / "in.csv", workdir / "out.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "客户名称", "电话", "地址"])
        w.writerows([f"C{i}", t, "13812345678", t] for i, t in enumerate(texts, 1))
    main(["dedupe", str(src), str(out)])
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    csv_formulas = sum(
        1 for c in cells if c and c[0] in "=+-@\t\r" and not _number(c)
    )
    csv_lost = sum(1 for t in texts if t not in cells and "'" + t not in cells)
    return {
        "payloads": payloads,
        "xlsx_cells": written,
        "xlsx_formulas": formulas,
        "xlsx_lost": lost,
        "csv_formulas": csv_formulas,
        "csv_lost": csv_lost,
    }


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _cell(rng: random.Random):
    kind = rng.randrange(9)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([math.nan, math.inf, -math.inf, 0.0, -1e308, 1e-308, rng.uniform(-1e9, 1e9)])
    if kind == 3:
        return rng.choice(["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"])
    if kind == 4:
        return rng.choice(["地", "x", "😀"]) * rng.choice([32_767, 32_768])
    if kind == 5:
        return [[_cell(rng) for _ in range(rng.randint(0, 3))] for _ in range(rng.randint(0, 3))]
    if kind == 6:
        return rng.randint(-(10**20), 10**20)
    n = rng.randint(0, 40)
    return "".join(chr(rng.choice([rng.randint(32, 0x2FFF), rng.randint(0x4E00, 0x9FFF), rng.randint(0x1F300, 0x1F6FF)])) for _ in range(n))


def formulas_fuzz(cells: int, seed: int) -> dict:
    from addrkit.udfs.cells import CELL_TEXT_LIMIT
    from addrkit.udfs.registry import formulas

    def readable(v, depth=0):
        if isinstance(v, list):
            return depth < 2 and all(readable(x, depth + 1) for x in v)
        if isinstance(v, str):
            return len(v) <= CELL_TEXT_LIMIT and "cannot handle this input" not in v
        if isinstance(v, bool) or v is None:
            return True
        return isinstance(v, int | float) and math.isfinite(v)

    rng = random.Random(seed)
    specs = formulas()
    tried = exceptions = unreadable = 0
    while tried < cells:
        for spec in specs.values():
            args = [_cell(rng) for a in spec.args if not a.optional or rng.random() < 0.5]
            tried += 1
            try:
                result = spec.function(*args)
            except Exception:  # noqa: BLE001 - counted, the figure must be 0
                exceptions += 1
                continue
            unreadable += not readable(result)
    return {"formulas": len(specs), "calls": tried, "exceptions": exceptions, "unreadable": unreadable}


def report(files: list[dict], inj: dict, fz: dict, args) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    lines = [
        f"\n### Hostile inputs — {dt.date.today().isoformat()}\n",
        f"`python benchmarks/hostile_inputs.py --payloads {args.payloads} --cells {args.cells} --seed {args.seed}"
        f"{' --huge' if args.huge else ''}` at {commit} on {machine_summary()}. The first row is the "
        "baseline measured in the same run (the normal test workbook cleaned).\n",
        "| file given to `addrkit run clean` | exit | seconds | peak MiB | file unchanged | traceback | message (English half) |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in files:
        lines.append(
            f"| {r['case']} | {r['exit']} | {r['seconds']:.1f} | {r['mib']:.0f} | "
            f"{'yes' if r['unchanged'] else 'no (written)'} | {'YES' if r['traceback'] else 'no'} | {r['message']} |"
        )
    lines += [
        "",
        f"Formula injection: {inj['payloads']:,} random payloads (= + - @ tab CR, DDE) through the loaded and the "
        f"streamed xlsx writers ({inj['xlsx_cells']:,} cells checked) and the CSV writer: "
        f"**{inj['xlsx_formulas']} formula cells** and **{inj['xlsx_lost']} strings lost** in xlsx, "
        f"**{inj['csv_formulas']} CSV cells a spreadsheet would evaluate** and **{inj['csv_lost']} lost** in CSV.",
        "",
        f"Formulas: {fz['calls']:,} calls over {fz['formulas']} formulas with random cells: "
        f"**{fz['exceptions']} exceptions**, **{fz['unreadable']} unreadable results**.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payloads", type=int, default=2000)
    parser.add_argument("--cells", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--huge", action="store_true", help="also the 34 GB sheet (a minute to build)")
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        files = hostile_files(Path(tmp), args.huge)
        work = Path(tmp) / "inj"
        work.mkdir()
        inj = injection(work, args.payloads, args.seed)
        shutil.rmtree(work)
    fz = formulas_fuzz(args.cells, args.seed)
    text = report(files, inj, fz, args)
    print(text)
    if args.write:
        with open(DOC, "a", encoding="utf-8") as fh:
            fh.write(text)
    bad = any(r["traceback"] or not r["unchanged"] for r in files[1:] if "xlsm" not in r["case"])
    bad |= bool(inj["xlsx_formulas"] or inj["xlsx_lost"] or inj["csv_formulas"] or inj["csv_lost"])
    bad |= bool(fz["exceptions"] or fz["unreadable"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
