"""``addrkit demo``: clean, summarise, geocode and map the bundled sample workbook, offline."""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
from importlib import resources
from pathlib import Path

from ..errors import DataError
from ..progress import Progress, TextBar
from ..workbook.files import replacing
from ..workbook.run_file import run_file
from .run import describe

__all__ = ["register", "main", "sample_workbook", "DEFAULT_OUTPUT"]

DEFAULT_OUTPUT = "addrkit-demo.xlsx"
SAMPLE = "sample_customers.xlsx"
DEMO_OPERATIONS = ("clean", "summary", "geocode", "map")


def sample_workbook() -> Path:
    """Path of the bundled 2,000-customer sample workbook.

    Examples
    --------
    >>> sample_workbook().name
    'sample_customers.xlsx'
    """
    found = resources.files("addrkit.workbook_templates").joinpath(SAMPLE)
    if not found.is_file():
        raise DataError(
            f"示例工作簿缺失，请重新安装 addrkit / Bundled sample {SAMPLE} is missing; reinstall addrkit"
        )
    return Path(str(found))


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="clean + summary + geocode + map on the bundled sample workbook (演示)",
        description="Copy the bundled 2,000-customer sample, run Clean & validate, Summary, "
        "Geocode and Map on it offline, and write the result to ./addrkit-demo.xlsx (or -o), "
        "with the interactive map beside it (./addrkit-demo-map.html).",
    )
    parser.add_argument(
        "-o",
        "--output",
        default=DEFAULT_OUTPUT,
        help=f"result file or folder (default ./{DEFAULT_OUTPUT}, in the current folder; "
        "the path is printed)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=main)


def _checkout(folder: Path) -> Path | None:
    """The git checkout `folder` is in, if any."""
    for parent in (folder, *folder.parents):
        if (parent / ".git").exists():
            return parent
    return None


def main(args: argparse.Namespace) -> int:
    out = Path(args.output).resolve()
    if out.is_dir():
        out = out / DEFAULT_OUTPUT
    out.parent.mkdir(parents=True, exist_ok=True)
    # Work on a copy: the bundled sample stays pristine, and the demo's backup/log refer to it.
    with replacing(out, f"无法写入 / Cannot write {out}") as tmp:
        shutil.copyfile(sample_workbook(), tmp)
    progress = Progress(None if args.quiet else TextBar(sys.stderr))
    result = run_file(DEMO_OPERATIONS, out, progress=progress)
    if result.backup is not None:
        result.backup.unlink()  # the backup would be the untouched sample itself
    print(
        "示例：清洗校验 + 汇总 + 地理编码 + 地图 / Demo: clean & validate + summary + geocode + map"
        " (offline)"
    )
    print(f"==> 示例工作簿 / Demo workbook: {out}")
    describe(dataclasses.replace(result, backup=None), sys.stdout)
    print(
        "  打开查看 / open it: 客户 Customers (new columns on the right), 汇总 Summary, "
        "地理编码 Geocoded, 地图 Map, 日志 Log"
    )
    for side in result.side_files:
        print(f"  在浏览器中打开交互地图 / open the interactive map in a browser: {side}")
    checkout = _checkout(out.parent)
    if checkout is not None and args.output == DEFAULT_OUTPUT:
        print(
            f"  注意 / note: 写在 git 仓库 {checkout} 中（已被 .gitignore 忽略），可用 -o 另选位置 / "
            "written inside a git checkout (ignored by its .gitignore); choose another place with -o"
        )
    return 0
