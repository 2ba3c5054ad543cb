"""Property-based tests of the whole API against its own OpenAPI schema.

Schemathesis generates requests from the schema (valid and invalid parameter
values, a bounded number per operation) and checks that no answer is a 5xx and
that every answer is what the schema promises: status code, content type and
body. Reads run anonymously; writes run with an editor's token.

Hypothesis is driven directly (schemathesis's pytest plugin reads a node
attribute that pytest 9 removed).
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.choices import DatePrecision
from events.services import api_token_create
from events.services.notices import events_match_notices
from tests.api.conftest import publish
from tests.events.notice_support import make_notice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(public=True))
OPERATIONS = {
    operation.label: operation
    for operation in (result.ok() for result in SCHEMA.get_all_operations())
}
APP = get_wsgi_application()


@pytest.fixture
def record(db, settings):
    settings.API_ANON_RATE = settings.API_USER_RATE = "1000000/min"
    russian = publish(
        country="RU", notice_text="Доступ ограничен по требованию Роскомнадзора."
    )
    # A registry notice that the Russian event carries (notices list and detail).
    make_notice(
        "Доступ ограничен по требованию Роскомнадзора.",
        language="ru",
        countries=["RU"],
        variants=(("en", "Access restricted at the demand of Roskomnadzor."),),
    )
    events_match_notices(event_ids=[russian.pk])
    publish(
        date=dt.date(2018, 8, 1), date_precision=DatePrecision.MONTH, authority=None
    )
    # As Django's test client does: the test's transaction must outlive requests.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def exercise(label: str, headers: dict[str, str], examples: int) -> None:
    @given(case=OPERATIONS[label].as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(app=APP, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


@pytest.mark.parametrize(
    "label", [name for name in OPERATIONS if name.startswith("GET")]
)
def test_reads_conform_to_the_schema(record, label):
    exercise(label, {}, examples=50)


@pytest.mark.parametrize(
    "label", [name for name in OPERATIONS if not name.startswith("GET")]
)
def test_writes_conform_to_the_schema(record, label):
    key = api_token_create(user=UserFactory(groups=["Editors"]), name="schemathesis")[1]
    exercise(label, {"Authorization": f"Token {key}"}, examples=15)
