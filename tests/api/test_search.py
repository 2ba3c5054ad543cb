"""Text search (q): any script, case-insensitive, substrings, on both backends."""

from __future__ import annotations

import pytest
from django.db import connection

from events.models import Event
from events.selectors.search import SearchQueryError, search_events, search_terms
from tests.api.conftest import ids, publish, uid

pytestmark = pytest.mark.django_db


def found(api, q: str) -> set[str]:
    return set(ids(api.get("/api/v1/events/", {"q": q})))


def test_chinese_word_inside_a_sentence_without_spaces(api):
    blocked = publish(
        notice_text="该账号因违反相关法律法规，已被屏蔽。", notice_language="zh"
    )
    publish(notice_text="根据相关法律法规和政策，该内容无法显示。")
    assert found(api, "屏蔽") == {uid(blocked)}
    assert found(api, "相关法律法规") == {uid(blocked), *found(api, "无法显示")}


def test_russian_is_found_ignoring_case_and_inside_word_forms(api):
    rkn = publish(notice_text="Доступ ограничен по требованию Роскомнадзора.")
    publish(notice_text="The account is currently blocked.")
    assert found(api, "роскомнадзор") == {uid(rkn)}
    assert found(api, "РОСКОМНАДЗОРА") == {uid(rkn)}


def test_target_and_summary_are_searched_too(api):
    by_target = publish(target="@durov", notice_text="")
    by_summary = publish(summary="Throttled during the protests.", notice_text="")
    assert found(api, "DUROV") == {uid(by_target)}
    assert found(api, "protests") == {uid(by_summary)}


def test_every_term_must_occur_and_quotes_keep_a_phrase(api):
    both = publish(target="a", notice_text="account blocked in court")
    publish(target="b", notice_text="account suspended")
    publish(target="c", notice_text="blocked in court")
    assert found(api, "blocked account") == {uid(both)}
    assert found(api, '"blocked account"') == set()
    assert found(api, '"blocked in court" account') == {uid(both)}


def test_like_wildcards_are_plain_characters(api):
    percent = publish(notice_text="100% blocked")
    publish(notice_text="100 blocked")
    assert found(api, "100%") == {uid(percent)}
    assert found(api, "_") == set()


def test_search_respects_visibility(api, draft):
    draft.notice_text = "secret draft words"
    draft.save()
    assert found(api, "secret draft") == set()


def test_search_terms_split_and_deduplicate():
    assert search_terms('a "b  c" a "d') == ["a", "b c", "d"]


def test_empty_search_keeps_everything(published):
    assert search_events(Event.objects.all(), "   ").count() == 1


def test_search_uses_the_trigram_index_or_the_sqlite_fallback(published):
    queryset = search_events(Event.objects.all(), "роскомнадзор")
    if connection.vendor == "sqlite":
        # No trigram index on SQLite: a case-folding regex match instead.
        assert "REGEXP" in str(queryset.query).upper()
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "event_search_trgm" in plan


def test_search_events_refuses_what_cannot_be_a_search(published):
    # The public pages answer this error with a 400, the API validates first.
    with pytest.raises(SearchQueryError):
        search_events(Event.objects.all(), " ".join("abcdefghijkl"))
