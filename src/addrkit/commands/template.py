"""``addrkit template [PATH]``: copy the empty customer workbook where the user wants it.

The workbook is the bundled ``customers.xlsx`` (sheets 客户 Customers, 设置 Settings,
区域 Regions and the output sheets), macro-free. An existing file is never replaced
unless ``--force`` is given, and the copy is written atomically.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from importlib import resources
from pathlib import Path

from ..errors import DataError, InputError, WorkbookError

__all__ = ["register", "copy_template", "TEMPLATE_NAME", "DEFAULT_TARGET"]

TEMPLATE_NAME = "customers.xlsx"
DEFAULT_TARGET = Path("customers.xlsx")


def template_bytes() -> bytes:
    """The bundled template's bytes.

    Raises
    ------
    DataError
        The template is missing from the installation (reinstall addrkit).
    """
    try:
        resource = resources.files("addrkit.workbook_templates").joinpath(TEMPLATE_NAME)
        return resource.read_bytes()
    except (FileNotFoundError, ModuleNotFoundError) as err:
        raise DataError(
            f"模板文件缺失，请重新安装 addrkit / The bundled {TEMPLATE_NAME} is missing; "
            "reinstall addrkit"
        ) from err


def copy_template(target: Path | str = DEFAULT_TARGET, *, force: bool = False) -> Path:
    """Write the empty customer workbook to ``target`` and return the path written.

    Parameters
    ----------
    target : path
        File to create (must end in ``.xlsx``), or an existing folder to create
        ``customers.xlsx`` in.
    force : bool
        Replace an existing file.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InputError
        The file exists and ``force`` is false, or the name does not end in ``.xlsx``.
    WorkbookError
        The file cannot be written (folder missing, no permission).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> copy_template(folder).name
    'customers.xlsx'
    """
    path = Path(target).expanduser()
    if path.is_dir():
        path = path / TEMPLATE_NAME
    if path.suffix.lower() != ".xlsx":
        # Excel refuses to open an .xlsx saved under .xlsm/.xls ("format and extension don't match").
        raise InputError(
            f"模板是 .xlsx 文件，请用 .xlsx 结尾的文件名 / The template is an .xlsx workbook; "
            f"give a name ending in .xlsx (got {path.name!r})"
        )
    if path.exists() and not force:
        raise InputError(
            f"文件已存在，未覆盖：{path}（如需覆盖请加 --force）/ {path} already exists and was "
            "left unchanged; add --force to replace it"
        )
    data = template_bytes()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".addrkit-", suffix=".xlsx")
    except OSError as err:
        raise WorkbookError(f"无法写入 / Cannot write to {path.parent}: {err.strerror}") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise WorkbookError(f"无法写入 / Cannot write {path}: {err.strerror}") from err
    return path


def _run(args: argparse.Namespace) -> int:
    path = copy_template(args.path, force=args.force)
    print(f"已创建 / Created {path}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "template",
        help="create an empty customer workbook (客户表模板)",
        description="Copy the empty customer workbook (sheets 客户 Customers, 设置 Settings, "
        "区域 Regions and the output sheets) to PATH. Never replaces a file unless --force.",
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=str(DEFAULT_TARGET),
        metavar="PATH",
        help="file (.xlsx) or folder to write to (default: ./customers.xlsx)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.set_defaults(func=_run)
