"""Forms of the review desk: partial dates as typed, verbatim notices, aliases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.choices import DatePrecision
from events.dates import (
    PartialDateError,
    format_partial_date,
    parse_partial_date,
    precision_error,
)
from events.models import EDITABLE_EVENT_FIELDS, Authority, Event, Platform

# Coarsest first, so "finer than" is a comparison of positions.
_PRECISION_ORDER = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY]
_MISSING = {
    (DatePrecision.YEAR, DatePrecision.MONTH): _(
        "The source gave no month: use year precision or give the month."
    ),
    (DatePrecision.YEAR, DatePrecision.DAY): _(
        "The source gave no month or day: use year precision or give the full date."
    ),
    (DatePrecision.MONTH, DatePrecision.DAY): _(
        "The source gave no day: use month precision or give the day."
    ),
}
PRECISION_CHOICES = [("", _("as typed")), *DatePrecision.choices]

# Django 6 makes https the scheme assumed for "example.org"; opt in now (and
# silence Django 5's deprecation warning, an error under pytest).
URL_OVERRIDES: dict[type[models.Field], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


def formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Form fields as Django makes them, with URL_OVERRIDES applied."""
    for field_class, overrides in URL_OVERRIDES.items():
        if isinstance(db_field, field_class):
            kwargs = {**overrides, **kwargs}
    return db_field.formfield(**kwargs)


def precision_conflict(value: dt.date, typed: str, chosen: str) -> str | None:
    """Why a date typed at precision `typed` cannot be stored at `chosen`.

    A coarser choice is fine when the typed date is the first day of the period
    ('2018-08-01' as a month); a finer one would invent what the source did not give.
    """
    if _PRECISION_ORDER.index(chosen) > _PRECISION_ORDER.index(typed):
        return str(_MISSING[(typed, chosen)])
    problem = precision_error(value, chosen)
    return f"{problem.capitalize()}." if problem else None


class PartialDateField(forms.CharField):
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; cleans to (first day, precision) or None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("YYYY, YYYY-MM or YYYY-MM-DD: only what the source gives.")
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> tuple[dt.date, str] | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_partial_date(text)
        except PartialDateError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


def _precision_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=PRECISION_CHOICES,
        required=False,
        help_text=_("Leave as typed to take the precision from the date."),
    )


class EventForm(forms.ModelForm):
    """The event as curators edit it; status never appears here."""

    date = PartialDateField(label=_("date"))
    date_precision = _precision_field()
    ended_on = PartialDateField(label=_("ended on"), required=False)
    ended_on_precision = _precision_field()
    # strip=False: the notice is evidence, kept exactly as users saw it.
    notice_text = forms.CharField(
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("Verbatim text users saw, exactly as given, in any script."),
    )
    change_reason = forms.CharField(
        required=False,
        max_length=100,
        label=_("why (for the history)"),
        help_text=_("Optional: a short note shown in the history with this change."),
    )

    class Meta:
        model = Event
        formfield_callback = staticmethod(formfield)
        fields = list(EDITABLE_EVENT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        for name in ("date", "ended_on"):
            precision_name = f"{name}_precision"
            if self.instance._state.adding:
                self.initial[precision_name] = given.get(precision_name, "")
            value = getattr(self.instance, name)
            if value is not None:
                precision = getattr(self.instance, precision_name)
                self.initial[name] = format_partial_date(value, precision)

    def clean_notice_text(self) -> str:
        # Browsers submit textarea line breaks as CRLF; nothing else is touched.
        return self.cleaned_data["notice_text"].replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("date", "ended_on"):
            self._resolve_precision(cleaned, name)
        return cleaned

    def _resolve_precision(self, cleaned: dict[str, Any], name: str) -> None:
        """Replace the typed (date, precision) by the values the model stores."""
        precision_name = f"{name}_precision"
        chosen = cleaned.pop(precision_name, "")
        if name not in cleaned:
            return  # the text itself was invalid; its error is shown already
        if cleaned[name] is None:
            cleaned[precision_name] = DatePrecision.DAY
            return
        value, typed = cleaned[name]
        problem = precision_conflict(value, typed, chosen or typed)
        if problem:
            self.add_error(name, problem)
            return
        cleaned[name] = value
        cleaned[precision_name] = chosen or typed

    def save(self, commit: bool = True) -> Event:
        # Read by django-simple-history when it writes the historical record.
        self.instance._change_reason = self.cleaned_data.get("change_reason") or None
        return super().save(commit=commit)


class AliasesField(forms.Field):
    """A JSON list of names edited as a textarea, one name per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, list):
            return value
        lines = (line.strip() for line in str(value).splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class AliasesForm(forms.ModelForm):
    aliases = AliasesField(
        required=False,
        help_text=_("One name per line, in any script (微信, Weixin…)."),
    )


class PlatformForm(AliasesForm):
    class Meta:
        model = Platform
        formfield_callback = staticmethod(formfield)
        fields = ["name", "slug", "homepage", "aliases", "description"]


class AuthorityForm(AliasesForm):
    class Meta:
        model = Authority
        formfield_callback = staticmethod(formfield)
        fields = ["name", "slug", "country", "kind", "aliases", "homepage"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60, "dir": "auto"}),
        error_messages={
            "required": _(
                "Give the reason: it is recorded with the change and shown "
                "in the event's history."
            )
        },
    )
