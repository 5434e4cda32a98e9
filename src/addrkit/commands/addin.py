"""``addrkit addin build|install|remove``: the Excel add-in."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "addin",
        help="build, install or remove the Excel add-in (加载项)",
        description="Build addrkit.xlam (same bytes for the same sources), or install/remove "
        "it for this user on Windows or macOS.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="write addrkit.xlam")
    build.add_argument("-o", "--output", default="addrkit.xlam", help="file to write")
    build.set_defaults(func=_build)
    install = actions.add_parser("install", help="install into Excel's startup folder")
    install.add_argument("--xlam", help="an add-in built earlier (default: build one now)")
    install.set_defaults(func=_install)
    remove = actions.add_parser("remove", help="remove the installed add-in")
    remove.set_defaults(func=_remove)


def _build(args: argparse.Namespace) -> int:
    from addrkit.addin.build import build_addin

    result = build_addin(args.output)
    print(f"{result.path}  sha256={result.sha256}  xlwings VBA {result.xlwings_version}")
    return 0


def _install(args: argparse.Namespace) -> int:
    from addrkit.addin.build import build_addin
    from addrkit.addin.install import install, install_paths

    paths = install_paths()  # refuses first on systems without Excel
    with tempfile.TemporaryDirectory() as folder:
        xlam = Path(args.xlam) if args.xlam else build_addin(Path(folder) / "addrkit.xlam").path
        for path in install(xlam, paths):
            print(f"installed {path}")
    print("Restart Excel to load the Address Tools tab. 重启 Excel 后可见「地址工具」选项卡。")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from addrkit.addin.install import install_paths, remove

    removed = remove(install_paths())
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print("addrkit add-in was not installed / 未安装")
    return 0
