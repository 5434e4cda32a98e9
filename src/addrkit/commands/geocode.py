"""``addrkit geocode``: address lines on stdin → one JSON object per line on stdout.

Each object has ``input, lat, lon, crs, precision, source, adcode, status, issues``
(plus ``confidence`` and the provider's ``address``). Offline by default; an online
provider (``--provider amap``) is asked only for addresses its cache does not hold, so
a run stopped by a crash or a quota resumes where it stopped when run again. Line N of
the output always belongs to line N of the input.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..geocode.batch import geocode_batch
from ..geocode.cache import GeocodeCache
from ..geocode.crs import CRS
from ..geocode.limits import RateLimiter
from ..geocode.registry import get_provider, provider_names
from ..geocode.result import GeocodeStatus
from .options import add_command, add_encoding, check_encoding, stdin_lines

EXIT_STOPPED = 3  # some rows were skipped (quota, refused key): run again to resume
_FLUSH_EVERY = 4096


def register(subparsers: argparse._SubParsersAction) -> None:
    p = add_command(
        subparsers,
        "geocode",
        "geocode address lines from stdin into JSON lines / 地理编码",
        __doc__,
    )
    p.add_argument(
        "--provider",
        default="offline",
        help=f"geocoding service / 服务 (default offline): {', '.join(provider_names())}",
    )
    p.add_argument(
        "--crs",
        default="wgs84",
        help="coordinate system of the output / 输出坐标系: wgs84 (default), gcj02, bd09",
    )
    p.add_argument("--url", help="server of a self-hosted provider, e.g. http://host:2322")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per request (10)")
    p.add_argument(
        "--min-delay", type=float, default=None,
        help="seconds between requests (default: the service's policy)",
    )  # fmt: skip
    p.add_argument("--cache", help="cache file (default: in the user's cache folder)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    add_encoding(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_encoding(args.encoding)
    crs = CRS.parse(args.crs)
    options: dict = {}
    if args.provider.strip().lower() not in ("offline", "离线"):
        options["timeout"] = args.timeout
        cls_delay = None if args.min_delay is None else max(0.0, args.min_delay)
        if cls_delay is not None:
            options["limiter"] = RateLimiter(min_delay=cls_delay)
    provider = get_provider(args.provider, url=args.url, **options)
    cache = None if args.no_cache or not provider.online else GeocodeCache(args.cache)
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False, buffering=1 << 16)
    lines = stdin_lines(args.encoding)
    skipped = written = 0
    try:
        for result in geocode_batch(lines, provider, cache=cache, crs=crs):
            stdout.write(json.dumps(result.to_dict(), ensure_ascii=False))
            stdout.write("\n")
            written += 1
            skipped += result.status is GeocodeStatus.SKIPPED
            if provider.online or written % _FLUSH_EVERY == 0:
                stdout.flush()
    except BrokenPipeError:
        return 0
    finally:
        try:
            stdout.flush()
        except BrokenPipeError:
            pass
        if cache is not None:
            cache.close()
    if skipped:
        print(
            f"addrkit: 已停止，{skipped} 行未查询；重新运行将从缓存继续 / stopped: {skipped} "
            "lines not looked up; run again to resume from the cache",
            file=sys.stderr,
        )
        return EXIT_STOPPED
    return 0
