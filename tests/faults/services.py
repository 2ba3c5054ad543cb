"""Private PostgreSQL and Redis servers that the fault tests own, stop and
restart: never the machine's shared ones, which other tests and engineers use.

Each server listens on a free loopback port; every wait is bounded; every
server is stopped (and its files removed) on exit, even when the test fails.
The binaries are required: a machine without them fails the fault suite, it
does not skip it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis
from psycopg import sql

START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], bool], *, seconds: float, what: str) -> None:
    """Poll `predicate` until it holds; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {seconds} s")


def binary(name: str) -> str:
    """A PostgreSQL or Redis program: Debian keeps PostgreSQL's server
    programs in /usr/lib/postgresql/<version>/bin, off the PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version)
    path = found[-1] if found else shutil.which(name)
    if path is None:
        pytest.fail(f"the fault tests need {name} (PostgreSQL and Redis servers)")
    return path


def _version(path: str) -> float:
    return float(Path(path).parts[-3])


class RedisServer:
    """redis-server without persistence: a restart loses what it held, as a
    Redis without AOF that crashed would."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        """Start on the same port as before."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [binary("redis-server"), "--port", str(self.port)]
                + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
                + ["--daemonize", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self.ping, seconds=START_SECONDS, what="redis-server started")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextmanager
def redis_server(log_dir: Path) -> Iterator[RedisServer]:
    server = RedisServer(log_dir / "redis.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


class PostgresCluster:
    """A throw-away PostgreSQL cluster (trust authentication, no fsync: it is
    only ever stopped cleanly or thrown away)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.port = free_port()

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=dbname,
            autocommit=True,
            connect_timeout=5,
        )

    def _run(self, *args: str) -> None:
        """Run a PostgreSQL program as the `postgres` user when we are root
        (the server refuses to run as root)."""
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=START_SECONDS + 10,
            check=False,
        )
        if result.returncode != 0:
            log = self.root / "postgres.log"
            raise AssertionError(
                f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}\n"
                + (log.read_text() if log.exists() else "")
            )

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            binary("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "postgres.log"),
            "-o",
            options,
            "-w",
            "-t",
            str(START_SECONDS),
            *extra,
            action,
        )

    def init(self) -> None:
        if os.geteuid() == 0:
            os.chown(self.root, pwd.getpwnam("postgres").pw_uid, -1)
        self._run(
            binary("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)

    def restart(self) -> None:
        """What an operator's restart does: open connections are terminated."""
        self._pg_ctl("restart", "-m", "fast")

    def create_database(self, name: str, *, template: str | None = None) -> None:
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.connect() as conn:
            conn.execute(query)


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    root = Path(tempfile.mkdtemp(prefix="tracker-faults-pg-"))
    cluster = PostgresCluster(root)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        try:
            if (cluster.data / "postmaster.pid").exists():
                cluster.stop("immediate")
        finally:
            shutil.rmtree(root, ignore_errors=True)
