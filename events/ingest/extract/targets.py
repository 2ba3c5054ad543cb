"""What was blocked: the whole platform, or a named account, channel, group,
app, website, content item or keyword on it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from events.choices import TargetType

_NAME = r"(?:@[\w.]+|[A-Z0-9][\w.&'’-]*(?:\s+(?:[A-Z0-9][\w.&'’-]*|of|de|al|the)){0,4})"
_KINDS = {
    "account": TargetType.ACCOUNT,
    "accounts": TargetType.ACCOUNT,
    "page": TargetType.ACCOUNT,
    "pages": TargetType.ACCOUNT,
    "profile": TargetType.ACCOUNT,
    "blog": TargetType.ACCOUNT,
    "handle": TargetType.ACCOUNT,
    "channel": TargetType.CHANNEL,
    "channels": TargetType.CHANNEL,
    "group": TargetType.GROUP,
    "groups": TargetType.GROUP,
}
_KIND = r"(?P<kind>accounts?|pages?|profile|blog|handle|channels?|groups?)"
_ENGLISH = [
    re.compile(
        rf"(?P<name>{_NAME})['’]s\s+(?:(?:[A-Z]\w+|official|verified)\s+){{0,2}}"
        rf"{_KIND}\b"
    ),
    re.compile(
        rf"\b(?P<official>official\s+)?{_KIND}\s+(?:of|belonging to|run by|for)\s+"
        rf"(?:the\s+)?(?P<name>{_NAME})"
    ),
    re.compile(
        rf"(?P<name>{_NAME})(?:\s+\w+)?,\s+whose\s+(?:[A-Z]\w+\s+)?"
        rf"(?P<official>official\s+)?{_KIND}\b"
    ),
]
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,30}|[\u4e00-\u9fff\w]{2,20})")
_CHINESE = re.compile(
    r"(?:关闭|關閉|封禁|封|屏蔽|关停)(?P<name>[\u4e00-\u9fff]{2,4}?)(?:的)?"
    r"(?:微博|微信|新浪)?(?:账号|帐号|帳號|公众号|公眾號)"
)
_KIND_WORDS = [
    (TargetType.APP, r"\bapps?\b|приложени|应用|應用|uygulama|اپلیکیشن|تطبيق|ऐप"),
    (TargetType.CHANNEL, r"\bchannels?\b|канал|频道|頻道|kanal|کانال|قناة"),
    (TargetType.GROUP, r"\bgroups?\b|групп|群组|群組|grup|گروه|مجموعة"),
    (
        TargetType.ACCOUNT,
        r"\baccounts?\b|\bpages?\b|аккаунт|страниц|账号|帐号|公众号|hesab|حساب|"
        r"अकाउंट|खाते",
    ),
    (
        TargetType.CONTENT_ITEM,
        r"\b(?:posts?|tweets?|videos?|articles?|URLs?)\b|публикаци|视频|文章|"
        r"paylaşım|پست|منشور|पोस्ट",
    ),
    (
        TargetType.KEYWORD,
        r"\bkeywords?\b|\bsearch terms?\b|关键词|敏感词|ключев\w+ слов",
    ),
]
_KIND_RES = [(kind, re.compile(regex, re.IGNORECASE)) for kind, regex in _KIND_WORDS]
_NOT_NAMES = re.compile(
    r"^(?:the|a|an|its|their|his|her|this|that|these|some|several|many|all|other|"
    r"official|government|state)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Target:
    name: str
    kind: str
    confidence: float
    url: str = ""


def named_target(sentence: str, known_names: set[str]) -> Target | None:
    """An account, channel, page or group named in a sentence."""
    for regex in _ENGLISH:
        for match in regex.finditer(sentence):
            name = _clean(match.group("name"), known_names)
            if name:
                kind = _KINDS[match.group("kind").lower()]
                official = "official " if "official" in match.group(0).lower() else ""
                label = match.group("kind").lower().rstrip("s")
                return Target(f"{name} {official}{label}".strip(), kind, 0.7)
    match = _CHINESE.search(sentence)
    if match:
        return Target(f"{match.group('name')} 账号", TargetType.ACCOUNT, 0.6)
    match = _HANDLE.search(sentence)
    if match:
        return Target("@" + match.group(1), TargetType.ACCOUNT, 0.6)
    return None


def _clean(name: str, known_names: set[str]) -> str:
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    while words and (_NOT_NAMES.match(words[0]) or words[0].casefold() in known_names):
        words = words[1:]
    while words and (
        _NOT_NAMES.match(words[-1]) or words[-1].casefold() in known_names
    ):
        words = words[:-1]
    cleaned = " ".join(words).strip(" '’.,")
    return "" if cleaned.casefold() in known_names or len(cleaned) < 2 else cleaned


def kind_from_words(sentence: str) -> str | None:
    for kind, regex in _KIND_RES:
        if regex.search(sentence):
            return kind
    return None
