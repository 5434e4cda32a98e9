"""A throwaway PostgreSQL server for the registry tests and benchmark.

``initdb`` makes a cluster in a fresh temporary folder, ``pg_ctl`` starts it on
127.0.0.1 at a free port (and a unix socket in the same folder) and stops it at the
end; the folder is removed. PostgreSQL refuses to run as root, so when we are root
(CI) the server runs as an unprivileged user (``postgres`` if it exists, else
``nobody``) through ``runuser``, and the folder is given to that user.

Usage::

    with PgServer.start() as server:
        conninfo = server.conninfo     # postgresql://addrkit@127.0.0.1:PORT/postgres
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PgServer", "PgUnavailable", "binaries"]

# Debian installs the server under /usr/lib/postgresql/<major>/bin, off the PATH.
_SEARCH = ("/usr/local/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))


class PgUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not on this machine."""


def binaries() -> dict[str, str]:
    """Paths of initdb and pg_ctl (PATH first, then the usual install folders)."""
    found = {}
    for name in ("initdb", "pg_ctl"):
        path = shutil.which(name) or next(
            (str(Path(d) / name) for d in _SEARCH if (Path(d) / name).exists()), None
        )
        if path is None:
            raise PgUnavailable(
                f"{name} not found: install the PostgreSQL server "
                "(apt-get install -y postgresql) to run the PostgreSQL registry tests"
            )
        found[name] = path
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
            return user
        except KeyError:
            continue
    raise PgUnavailable("running as root and no unprivileged user (postgres, nobody) exists")


@dataclass
class PgServer:
    folder: Path
    port: int
    user: str | None
    pg_ctl: str

    @property
    def conninfo(self) -> str:
        return f"postgresql://addrkit@127.0.0.1:{self.port}/postgres"

    @classmethod
    def start(cls) -> PgServer:
        tools = binaries()
        user = _run_as()
        folder = Path(tempfile.mkdtemp(prefix="addrkit-pg-"))
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = cls(folder, _free_port(), user, tools["pg_ctl"])
        data = folder / "data"
        try:
            server._run(
                tools["initdb"], "-D", str(data), "-U", "addrkit", "--auth=trust",
                "-E", "UTF8", "--locale=C", "--no-sync",
            )  # fmt: skip
            server._run(
                tools["pg_ctl"], "-D", str(data), "-l", str(folder / "server.log"), "-w",
                "-t", "60", "-o",
                f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 "
                "-c max_connections=40 -c fsync=on",
                "start",
            )  # fmt: skip
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return server

    def _run(self, *args: str) -> None:
        command = list(args) if self.user is None else [_runuser(), "-u", self.user, "--", *args]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if result.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:1])} failed: {result.stderr}\n{tail}")

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server but keep its data (``immediate``: as a crash, no checkpoint)."""
        self._run(self.pg_ctl, "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def resume(self) -> None:
        """Start a halted server again on the same port and data (crash recovery runs)."""
        self._run(
            self.pg_ctl, "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"),
            "-w", "-t", "60", "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=40 -c fsync=on",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _runuser() -> str:
    # runuser lives in /usr/sbin, which a root shell's PATH may lack (a bare `env -i` shell does).
    found = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if found is None:
        raise RuntimeError("runuser not found: it starts PostgreSQL as an unprivileged user")
    return found
