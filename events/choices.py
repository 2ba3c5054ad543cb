"""Enumerations of the domain, shared by models, forms, the importer and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetType(models.TextChoices):
    ACCOUNT = "account", _("account")
    WEBSITE = "website", _("website")
    APP = "app", _("app")
    CHANNEL = "channel", _("channel")
    GROUP = "group", _("group")
    CONTENT_ITEM = "content_item", _("content item")
    KEYWORD = "keyword", _("keyword")
    WHOLE_PLATFORM = "whole_platform", _("whole platform")


class Action(models.TextChoices):
    BLOCKED = "blocked", _("blocked")
    SUSPENDED = "suspended", _("suspended")
    WITHHELD = "withheld_in_country", _("withheld in country")
    THROTTLED = "throttled", _("throttled")
    REMOVED = "removed", _("removed")
    RESTORED = "restored", _("restored")


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    MERGED = "merged", _("merged into another event")


class AuthorityKind(models.TextChoices):
    REGULATOR = "regulator", _("regulator")
    MINISTRY = "ministry", _("ministry")
    COURT = "court", _("court")
    POLICE = "police", _("police")
    LEGISLATURE = "legislature", _("legislature")
    TELECOM = "telecom_operator", _("telecom operator / ISP")
    PLATFORM = "platform", _("the platform itself")
    OTHER = "other", _("other")


class FeedFormat(models.TextChoices):
    AUTO = "auto", _("detect automatically")
    RSS_ATOM = "rss_atom", _("RSS or Atom")
    JSON_FEED = "json_feed", _("JSON Feed")
    INTERCHANGE_JSONL = "interchange_jsonl", _("tracker interchange, JSON Lines")
    INTERCHANGE_CSV = "interchange_csv", _("tracker interchange, CSV")
    OONI = "ooni", _("OONI measurement JSON")
    STOP_CSV = "stop_csv", _("Access Now #KeepItOn STOP CSV")
    LUMEN = "lumen", _("Lumen Database notices (API JSON)")
    OONI_FINDINGS = "ooni_findings", _("OONI Findings incidents (API JSON)")
    SFLC_IN = "sflc_in", _("SFLC.in Internet Shutdowns Tracker (JSON)")
    CITIZENLAB_TEST_LIST = "citizenlab_list", _("Citizen Lab test list (CSV)")


class FetchOutcome(models.TextChoices):
    OK = "ok", _("fetched")
    NOT_MODIFIED = "not_modified", _("not modified")
    # Fetched and parsed, but the document held no items at all.
    EMPTY = "empty", _("fetched, no items")
    RETRYING = "retrying", _("failed, will retry")
    FAILED = "failed", _("failed")


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("waiting to be processed")
    DRAFT_CREATED = "draft_created", _("draft created")
    ATTACHED = "attached", _("attached to an event as a source")
    NOT_EVENT = "not_event", _("not an event")
    FAILED = "failed", _("failed")


class NoticeKind(models.TextChoices):
    PLATFORM = "platform_notice", _("platform notice")
    BLOCKPAGE = "blockpage", _("blockpage")
    DNS = "dns_fingerprint", _("DNS fingerprint")
    HEADER = "header_fingerprint", _("HTTP header fingerprint")


class NoticePatternType(models.TextChoices):
    FULL = "full", _("full")
    PREFIX = "prefix", _("prefix")
    CONTAINS = "contains", _("contains")


class NoticeMatch(models.TextChoices):
    NONE = "", _("not matched")
    AUTO = "auto", _("matched automatically")
    CONFIRMED = "confirmed", _("confirmed by a curator")
    REJECTED = "rejected", _("rejected by a curator")


class ChangeKind(models.TextChoices):
    PUBLISHED = "published", _("published")
    UPDATED = "updated", _("updated")
    UNPUBLISHED = "unpublished", _("unpublished")
    MERGED = "merged", _("merged")
    DELETED = "deleted", _("deleted")
    REDACTED = "redacted", _("redacted")


class ReleaseState(models.TextChoices):
    PENDING = "pending", _("pending")
    BUILDING = "building", _("building")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class RedactionGround(models.TextChoices):
    LEGAL_ORDER = "legal_order", _("legal order")
    PERSONAL_SAFETY = "personal_safety", _("safety of a person")
    OTHER = "other", _("other")
