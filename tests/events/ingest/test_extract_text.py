"""Tokens of the extractor: words with their offsets; scripts without spaces
one token per character."""

from __future__ import annotations

from events.ingest.extract import text
from events.ingest.extract.text import tokenise


def pieces(text):
    return [(text[t.start : t.end], t.key, t.script) for t in tokenise(text)]


def test_latin_and_cyrillic_words_are_tokens_with_their_offsets():
    assert pieces("Twitter, «Россия»!") == [
        ("Twitter", "twitter", "latin"),
        ("Россия", "росс", "cyrillic"),
    ]


def test_scripts_without_spaces_are_one_token_per_character():
    assert pieces("abc微信def 2024年") == [
        ("abc", "abc", "latin"),
        ("微", "微", "split"),
        ("信", "信", "split"),
        ("def", "def", "latin"),
        ("2024", "2024", "other"),
        ("年", "年", "split"),
    ]


def test_a_split_script_sign_that_is_not_a_letter_is_no_token():
    # The Thai vowel sign U+0E31 is no word character: it ends the word.
    assert [p[0] for p in pieces("บัง")] == ["บ", "ง"]


def test_words_are_folded_alike_once_the_remembered_ones_are_forgotten(monkeypatch):
    first = pieces("Twitter blocked Телеграм")
    monkeypatch.setattr(text, "_REMEMBERED", 1)
    assert pieces("Twitter blocked Телеграм") == first
    assert pieces("Другие слова Twitter") == [
        ("Другие", "друг", "cyrillic"),
        ("слова", "слов", "cyrillic"),
        ("Twitter", "twitter", "latin"),
    ]
