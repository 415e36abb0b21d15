"""A throw-away PostgreSQL cluster on a free loopback port, for the tests of the shared deployment.

The server comes from Debian's packages (scripts/system-deps.sh installs them for `make test`).
As root, initdb and the server run as the `postgres` system user, since PostgreSQL refuses root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise RuntimeError(
        f"PostgreSQL's {name} is not installed: run `make test` (it installs Debian's postgresql) "
        "or `apt-get install postgresql`"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self, base: Path):
        self.base = base
        self.data = base / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *cmd: str) -> None:
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> PostgresServer:
        self.base.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
            os.chmod(self.base, 0o755)
            p = self.base
            while p != p.parent:  # postgres must be able to reach its folder
                p = p.parent
                os.chmod(p, os.stat(p).st_mode | 0o011)
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "signpost", "-A", "trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")
        self._run(
            _bin("pg_ctl"), "-D", str(self.data), "-l", str(self.base / "server.log"), "-w", "-t", "60",
            "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start",
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"PostgreSQL did not start; see {self.base / 'server.log'}")

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://signpost@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        import sqlalchemy as sa

        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)
