"""Logging configuration: plain or JSON lines, each with its request id."""

from __future__ import annotations

PLAIN = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(fmt: str, level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "events.ops.logging.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": PLAIN},
            "json": {"()": "events.ops.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
