"""Fixtures of the fault suite: a private PostgreSQL cluster for the session
(with a migrated template database, copied for each test), and a private Redis
for each test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.faults.services import (
    PostgresCluster,
    RedisServer,
    postgres_cluster,
    redis_server,
)
from tests.faults.stack import manage, stack_env

TEMPLATE = "tracker_template"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    with postgres_cluster() as cluster:
        cluster.create_database(TEMPLATE)
        env = stack_env(database_url=cluster.url(TEMPLATE), redis_url="")
        manage(env, "migrate", "--noinput", timeout=180)
        yield cluster


class Database:
    """The test's database, read and written with short connections of its
    own (a server restart ends long ones)."""

    def __init__(self, cluster: PostgresCluster, name: str) -> None:
        self.cluster = cluster
        self.name = name

    @property
    def url(self) -> str:
        return self.cluster.url(self.name)

    def rows(self, query: str, *params: object) -> list[tuple]:
        with self.cluster.connect(self.name) as conn:
            cursor = conn.execute(query, params)  # type: ignore[call-overload]
            return cursor.fetchall() if cursor.description else []

    def scalar(self, query: str, *params: object) -> object:
        return self.rows(query, *params)[0][0]

    def reachable(self) -> bool:
        try:
            return self.scalar("SELECT 1") == 1
        except psycopg.OperationalError:
            return False


@pytest.fixture
def database(postgres: PostgresCluster) -> Database:
    name = f"faults_{uuid.uuid4().hex[:12]}"
    postgres.create_database(name, template=TEMPLATE)
    return Database(postgres, name)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[RedisServer]:
    with redis_server(tmp_path) as server:
        yield server


@pytest.fixture
def env(database: Database, broker: RedisServer) -> dict[str, str]:
    return stack_env(database_url=database.url, redis_url=broker.url)
