"""Targets: the account, site or app that events are about, across its lifecycle.

Events are grouped into targets by a natural key, (platform, target type, key),
where the key is computed from the event by `target_key`:

- Any type: the name is NFKC-normalised, case-folded, runs of whitespace become
  one space, and punctuation around it is stripped ("«OKEx»." is "okex"). An
  '@' or '#' is kept there (a handle or a hashtag is part of the name), except
  that an account's leading '@' is dropped ("@navalny" is "navalny").
- Websites: the host of `target_url`, or of the name when the name is a URL or a
  host name, without scheme, port, path, a leading "www." or a trailing dot, in
  Unicode (IDNA decoded): "https://www.wikipedia.org/" and "wikipedia.org" are
  one target. Other subdomains stay apart (en.wikipedia.org is its own target):
  a censor can block one subdomain alone, and the public suffix list is a
  dependency not worth its upkeep here. A name that is no host keys by the name.
- Whole platforms: the country ("country:ir"). A whole-platform block is a
  decision of one country: "Telegram blocked in Iran" and "Telegram blocked in
  Russia" begin and end independently, so they are two lifecycles, whatever
  the events call the platform ("Telegram", "Telegram messenger").

Other types span countries: an account withheld in Turkey and in Russia is one
target, and each period of its lifecycle names its event's country.

A new target is named from its key, so that a name never shows more of an
unpublished event than its published siblings do: a website by its host, a
whole platform as "<platform> in <country>", anything else by the text of the
event that made it (whose key is the target's: they differ at most in case,
spacing and surrounding punctuation). Curators may rename a target, and give
it a URL; until they do, pages show the URL of its latest published event.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

from events.choices import TargetType
from events.models.record import Platform

KEY_LENGTH = 500
PSEUDONYM_LENGTH = 100
CATEGORY_LENGTH = 20
# Kept at either end of a name: a handle's '@' and a hashtag's '#'.
_KEPT_MARKS = frozenset("@#")
_HOST = re.compile(r"^[^\s/@]+\.[^\s/@.]{2,}\.?$")


def _is_edge_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P") and char not in _KEPT_MARKS


def normalise_name(text: str) -> str:
    """NFKC, case-folded, single spaces, no punctuation around it."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).casefold()
    start, end = 0, len(text)
    while start < end and (text[start] == " " or _is_edge_punctuation(text[start])):
        start += 1
    while end > start and (text[end - 1] == " " or _is_edge_punctuation(text[end - 1])):
        end -= 1
    return text[start:end]


def website_host(text: str) -> str:
    """The host of a URL or host name, without "www.", in Unicode; "" when
    the text is neither."""
    text = unicodedata.normalize("NFKC", text.strip()).casefold()
    if "://" in text:
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:
            return ""
    else:
        head = text.split("/", 1)[0]
        host = head.rsplit(":", 1)[0] if _HOST.match(head) else ""
    host = host.rstrip(".").removeprefix("www.")
    if "xn--" in host:
        # A malformed A-label still names something: keep it as written.
        with contextlib.suppress(UnicodeError):
            host = host.encode("ascii").decode("idna")
    return host if "." in host else ""


def target_key(*, target_type: str, target: str, target_url: str, country: str) -> str:
    """The grouping key of an event's target (see the module's docstring)."""
    if target_type == TargetType.WHOLE_PLATFORM:
        return f"country:{country.lower()}"
    if target_type == TargetType.WEBSITE:
        host = website_host(target_url) or website_host(target)
        if host:
            return host[:KEY_LENGTH]
    key = normalise_name(target)
    if target_type == TargetType.ACCOUNT:
        key = normalise_name(key.removeprefix("@"))
    return key[:KEY_LENGTH] or target.strip()[:KEY_LENGTH]


def target_name(
    *, target_type: str, target: str, target_url: str, country: str, platform: str
) -> str:
    """The name a new target gets (see the module's docstring)."""
    if target_type == TargetType.WHOLE_PLATFORM:
        name = f"{platform} in {countries.name(country) or country}"
    elif target_type == TargetType.WEBSITE and (
        host := website_host(target_url) or website_host(target)
    ):
        name = host
    else:
        name = " ".join(target.split())
    return name[:500]


class Target(models.Model):
    """One blocked thing on one platform; its events form its lifecycle.

    `key` is computed from the events (see `target_key`), so that "OKEx",
    "okex " and "«OKEx»" land on the same target. A target merged by a curator
    into another keeps its row and key with `merged_into` set: events with its
    key go to the survivor from then on, and its page redirects there.
    """

    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="targets"
    )
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    key = models.CharField(max_length=KEY_LENGTH, editable=False)
    name = models.CharField(max_length=500)
    url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="absorbed",
        help_text=_("Set when a curator merged this target into another."),
    )
    # A person at risk: the public sees the pseudonym, never the name or URL
    # (events.services.masking sets both, with each event's masked_as).
    masked = models.BooleanField(default=False, editable=False)
    pseudonym = models.CharField(
        max_length=PSEUDONYM_LENGTH, blank=True, editable=False
    )
    # From a Citizen Lab test list (events.services.target_categories):
    # what kind of site a website target is, e.g. "NEWS", "News Media".
    category = models.CharField(
        max_length=CATEGORY_LENGTH,
        blank=True,
        help_text=_("Citizen Lab test-list category code, e.g. NEWS."),
    )
    category_description = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "target_type", "key"], name="target_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(masked=False) | ~Q(pseudonym=""),
                name="target_masked_has_pseudonym",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.platform}"

    def get_absolute_url(self) -> str:
        return reverse("public:target", args=[self.pk])

    @property
    def public_name(self) -> str:
        """What the public sees of the name: the pseudonym when masked."""
        return self.pseudonym if self.masked else self.name
