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


class AuthorityKind(models.TextChoices):
    REGULATOR = "regulator", _("regulator")
    MINISTRY = "ministry", _("ministry")
    COURT = "court", _("court")
    POLICE = "police", _("police")
    LEGISLATURE = "legislature", _("legislature")
    TELECOM = "telecom_operator", _("telecom operator / ISP")
    PLATFORM = "platform", _("the platform itself")
    OTHER = "other", _("other")
