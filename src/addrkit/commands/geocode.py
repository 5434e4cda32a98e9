"""``addrkit geocode``: address lines on stdin → one JSON object per line on stdout.

Each object has ``input, lat, lon, crs, precision, source, adcode, status, issues``
(plus ``confidence`` and the provider's ``address``). Offline by default; an online
provider (``--provider amap``) is asked only for addresses its cache does not hold, so
a run stopped by a crash or a quota resumes where it stopped when run again. Line N of
the output always belongs to line N of the input.

Every answer is in the cache the moment it arrives. When some lines were not answered
(the service dropped the connection, timed out, sent an unreadable answer or a server
error, or the batch stopped), a message on stderr counts them by reason and the exit
status is `EXIT_STOPPED`: run again, and only those lines are asked again.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..geocode.batch import RETRY_KINDS, geocode_batch
from ..geocode.cache import GeocodeCache
from ..geocode.crs import CRS
from ..geocode.limits import RateLimiter
from ..geocode.registry import get_provider, provider_names
from ..geocode.result import GeocodeStatus
from .options import add_command, add_encoding, check_encoding, stdin_lines

EXIT_STOPPED = 3  # some rows were not answered (service failed, quota, refused key): run again
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
    p.add_argument(
        "--retries", type=int, default=None, metavar="N",
        help="further tries of a request that timed out or lost its connection (default 3)",
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
        if cls_delay is not None or args.retries is not None:
            pacing = {} if cls_delay is None else {"min_delay": cls_delay}
            if args.retries is not None:
                pacing["max_retries"] = max(0, args.retries)
            if cls_delay is None:  # the service's own policy, as the provider would pick it
                from ..geocode.registry import provider_class

                pacing["min_delay"] = provider_class(args.provider).min_delay
            options["limiter"] = RateLimiter(**pacing)
    provider = get_provider(args.provider, url=args.url, **options)
    cache = None if args.no_cache or not provider.online else GeocodeCache(args.cache)
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False, buffering=1 << 16)
    lines = stdin_lines(args.encoding)
    written = 0
    unanswered: dict[str, int] = {}  # reason code → lines
    try:
        for result in geocode_batch(lines, provider, cache=cache, crs=crs):
            stdout.write(json.dumps(result.to_dict(), ensure_ascii=False))
            stdout.write("\n")
            written += 1
            reason = _unanswered(result)
            if reason:
                unanswered[reason] = unanswered.get(reason, 0) + 1
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
    if unanswered:
        print(unanswered_message(unanswered, written, saved=cache is not None), file=sys.stderr)
        return EXIT_STOPPED
    return 0


def _unanswered(result) -> str:
    """The reason a line got no answer from the service ('' when it was answered)."""
    if result.status not in (GeocodeStatus.ERROR, GeocodeStatus.SKIPPED) or not result.issues:
        return ""
    code = result.issues[-1].code
    return code if code in RETRY_KINDS else ""


def unanswered_message(counts: dict[str, int], total: int, *, saved: bool = True) -> str:
    """The stderr line of a run that left lines unanswered, by reason (Chinese and English).

    Examples
    --------
    >>> print(unanswered_message({"PROVIDER_ERROR": 3, "SKIPPED": 7}, 20))
    addrkit: 20 行中 10 行未得到结果（服务出错 3，未查询 7）；已完成的结果已存入缓存，重新运行只查询这些行 / 10 of 20 lines got no answer (service failed 3, not asked 7); every answer is saved in the cache: run again to look up only these lines
    """
    from ..geocode.result import IssueKind

    zh = {"TIMEOUT": "超时", "PROVIDER_ERROR": "服务出错", "BAD_RESPONSE": "无法解析的回答",
          "QUOTA": "配额", "AUTH": "密钥", "SKIPPED": "未查询"}  # fmt: skip
    en = {"TIMEOUT": "timed out", "PROVIDER_ERROR": "service failed",
          "BAD_RESPONSE": "unreadable answer", "QUOTA": "quota", "AUTH": "key refused",
          "SKIPPED": "not asked"}  # fmt: skip
    order = [k.value for k in IssueKind if k.value in counts]
    n = sum(counts.values())
    zh_parts = "，".join(f"{zh.get(k, k)} {counts[k]}" for k in order)
    en_parts = ", ".join(f"{en.get(k, k)} {counts[k]}" for k in order)
    if saved:
        return (
            f"addrkit: {total} 行中 {n} 行未得到结果（{zh_parts}）；已完成的结果已存入缓存，"
            f"重新运行只查询这些行 / {n} of {total} lines got no answer ({en_parts}); every "
            "answer is saved in the cache: run again to look up only these lines"
        )
    return (
        f"addrkit: {total} 行中 {n} 行未得到结果（{zh_parts}）；未使用缓存，重新运行将全部重新查询 / "
        f"{n} of {total} lines got no answer ({en_parts}); with --no-cache a rerun asks "
        "for every line again"
    )
