"""Django's PostgreSQL backend, with two savings on every request.

- The health check of a persistent connection (CONN_HEALTH_CHECKS, once per
  request) costs no round trip when the connection is idle and the server
  has said nothing since the last query: an idle connection receives nothing
  unless the server is going away (a restart's goodbye, then the end of the
  stream). Otherwise the server is asked, with Django's own `SELECT 1`.
- `timestamptz` values are read by psycopg's own loader, in C, about ten
  times faster than Django's, which is written in Python so that it can
  attach any time zone. With Django's time zone and the session's both UTC
  (this project's settings) the two give the same aware datetime.
"""

from __future__ import annotations

import datetime as dt
import selectors
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg.abc import AdaptContext
from psycopg.adapt import Loader

TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
OK, IDLE = psycopg.pq.ConnStatus.OK, psycopg.pq.TransactionStatus.IDLE


class UtcTimestamptzLoader(Loader):
    """psycopg's timestamptz loader under the class Django inspects: Django
    compares `timezone` with its own on each new cursor, and puts its loader
    back on the cursor when they differ."""

    timezone = dt.UTC

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        fast = psycopg.adapters.get_loader(oid, psycopg.pq.Format.TEXT)
        assert fast is not None
        # The instance attribute hides the method below: psycopg calls the C
        # function directly, with no Python frame per value.
        self.load = fast(oid, context).load  # type: ignore[method-assign]

    def load(self, data: Any) -> dt.datetime:
        raise NotImplementedError  # replaced in __init__


class DatabaseWrapper(base.DatabaseWrapper):
    def init_connection_state(self) -> None:
        super().init_connection_state()
        raw = self.connection
        if self.timezone is dt.UTC and raw.info.timezone is dt.UTC:
            raw.adapters.register_loader(TIMESTAMPTZ, UtcTimestamptzLoader)

    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        info = self.connection.info
        if info.status == OK and info.transaction_status == IDLE:
            with selectors.DefaultSelector() as selector:
                selector.register(self.connection.fileno(), selectors.EVENT_READ)
                if not selector.select(timeout=0):
                    return True
        return super().is_usable()
