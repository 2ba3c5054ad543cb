"""The notice registry in the admin, and the notice match on an event's page.

Notices: their wordings inline, the events that carried them (read-only, with
links). A seeded notice's fields belong to its seed list (seeding again would
set them back) and are read-only; curators add wordings. On an event's change
page curators see the matched notice and its score and, on a page of its own,
confirm it, choose another or reject it; each is one service call.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.admin.history import HistoryAdmin
from events.choices import NoticeMatch
from events.exceptions import TrackerError
from events.models import Event, Notice, NoticeVariant
from events.services.notice_curation import (
    event_notice_confirm,
    event_notice_reject,
    event_notice_rematch,
    notices_delete,
)
from events.services.notice_matching import normalise
from events.services.notices import (
    notice_save,
    notice_variant_delete,
    notice_variant_save,
)
from events.services.queue import enqueue_on_commit
from events.services.workflow import event_can_edit
from events.tasks import rematch_notices

SEEDED_FIELDS = [
    "kind",
    "title",
    "platform",
    "countries",
    "canonical_text",
    "language",
    "pattern",
    "pattern_type",
    "location",
]
RECORD_FIELDS = [
    "fingerprint",
    "origin",
    "first_seen",
    "last_seen",
    "created_at",
    "updated_at",
    "carried_by",
]
EVENTS_SHOWN = 20


class CountriesField(forms.CharField):
    """ISO codes as 'CN, RU' in the form, a sorted list of codes in the model."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        codes = [c.strip().upper() for c in str(value or "").split(",") if c.strip()]
        unknown = [code for code in codes if code not in countries]
        if unknown:
            raise ValidationError(
                _("Not ISO 3166-1 alpha-2 codes: %(codes)s"),
                params={"codes": ", ".join(unknown)},
            )
        return sorted(set(codes))


class NoticeForm(forms.ModelForm):
    countries = CountriesField(
        required=False, help_text=_("ISO codes separated by commas, e.g. CN, RU.")
    )

    class Meta:
        model = Notice
        fields = [*SEEDED_FIELDS]


class VariantFormSet(forms.BaseInlineFormSet):
    """Refuses a wording the notice already has (as normalised)."""

    def clean(self) -> None:
        super().clean()
        canonical = self.data.get("canonical_text") or self.instance.canonical_text
        seen = {normalise(canonical or "")}
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            fingerprint = normalise(form.cleaned_data.get("text", ""))
            if fingerprint in seen:
                form.add_error("text", _("The notice already has this wording."))
            seen.add(fingerprint)


class NoticeVariantInline(admin.TabularInline):
    model = NoticeVariant
    formset = VariantFormSet
    fields = ["text", "language", "fingerprint"]
    readonly_fields = ["fingerprint"]
    extra = 1


@admin.action(permissions=["change"], description=_("Match every event again"))
def rematch_events(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any
) -> None:
    """Every event is matched against the registry again, by the worker."""
    enqueue_on_commit(rematch_notices)
    modeladmin.message_user(
        request, _("Every event will be matched against the registry again.")
    )


class NoticeAdmin(HistoryAdmin):
    form = NoticeForm
    inlines = [NoticeVariantInline]
    actions = [rematch_events]
    list_display = [
        "title",
        "kind",
        "platform",
        "countries_list",
        "language",
        "first_seen",
        "last_seen",
        "origin",
    ]
    list_filter = ["kind", ("platform", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["platform"]
    search_fields = ["title", "canonical_text", "origin", "variants__text"]
    autocomplete_fields = ["platform"]
    ordering = ["title", "id"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*SEEDED_FIELDS, *RECORD_FIELDS]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.origin:
            return [*SEEDED_FIELDS, *RECORD_FIELDS]
        return RECORD_FIELDS

    @admin.display(description=_("countries"))
    def countries_list(self, obj: Notice) -> str:
        return ", ".join(obj.countries)

    @admin.display(description=_("carried by (newest first)"))
    def carried_by(self, obj: Notice) -> str:
        if obj.pk is None:
            return "—"
        events = obj.events.select_related("platform").order_by("-date", "-id")
        rows = [
            (
                reverse("admin:events_event_change", args=[event.pk]),
                event,
                event.get_status_display(),
                event.get_notice_match_display(),
            )
            for event in events[:EVENTS_SHOWN]
        ]
        if not rows:
            return _("No event yet.")
        every = reverse("admin:events_event_changelist")
        return format_html(
            '<ul>{}</ul><p><a href="{}?notice__id__exact={}&amp;status=all">{}</a></p>',
            format_html_join("", '<li><a href="{}">{}</a> ({}; {})</li>', rows),
            every,
            obj.pk,
            _("All events with this notice"),
        )

    def save_model(
        self, request: HttpRequest, obj: Notice, form: Any, change: bool
    ) -> None:
        notice_save(notice=obj, user=request.user)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        for variant in formset.save(commit=False):
            notice_variant_save(variant=variant, user=request.user)
        for variant in formset.deleted_objects:
            notice_variant_delete(variant=variant, user=request.user)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # The registry changed: events already recorded may match it now.
        enqueue_on_commit(rematch_notices)

    def delete_model(self, request: HttpRequest, obj: Notice) -> None:
        notices_delete(notices=[obj], user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        notices_delete(notices=list(queryset), user=request.user)


class NoticeDecisionForm(forms.Form):
    CONFIRM, OTHER, REJECT, AUTOMATIC = "confirm", "other", "reject", "automatic"
    decision = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            (CONFIRM, _("It is the matched notice: confirm")),
            (OTHER, _("It is another notice: link it to the one chosen below")),
            (REJECT, _("It is none of the registry's notices: reject the match")),
            (AUTOMATIC, _("Undo any decision: match it automatically")),
        ],
    )

    def __init__(self, *args: Any, admin_site: admin.AdminSite, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Searched as the registry's admin searches (title, wordings, origin).
        widget = AutocompleteSelect(Event._meta.get_field("notice"), admin_site)
        self.fields["notice"] = forms.ModelChoiceField(
            queryset=Notice.objects.all(),
            required=False,
            label=_("other notice"),
            widget=widget,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.OTHER and not data.get("notice"):
            self.add_error("notice", _("Choose the notice it is."))
        return data


def match_label(event: Event) -> str:
    label = str(NoticeMatch(event.notice_match).label)
    if event.notice_match_score is not None:
        return f"{label}, {event.notice_match_score:.1f}% similar"
    return label


class NoticeMatchMixin:
    """The matched notice on an event's change page, and the page where
    curators decide about it."""

    admin_site: admin.AdminSite
    model: type[Event]

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.notice_match_view)
        route = "<path:object_id>/notice/"
        return [
            path(route, view, name="events_event_notice"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    @admin.display(description=_("registry notice"))
    def registry_notice(self, obj: Event) -> str:
        if obj.pk is None:
            return "—"
        review = reverse("admin:events_event_notice", args=[obj.pk])
        if obj.notice_id is None:
            shown = format_html("{} ({})", _("none"), match_label(obj))
        else:
            shown = format_html(
                '<a href="{}">{}</a> ({})',
                reverse("admin:events_notice_change", args=[obj.notice_id]),
                obj.notice,
                match_label(obj),
            )
        return format_html('{} · <a href="{}">{}</a>', shown, review, _("review…"))

    def notice_match_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Confirm, correct or reject the event's notice match."""
        event = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if event is None:
            raise Http404
        if not event_can_edit(event=event, user=request.user):
            raise PermissionDenied
        posted = request.POST if request.method == "POST" else None
        form = NoticeDecisionForm(posted, admin_site=self.admin_site)
        if form.is_valid():
            try:
                self._decide(request, event, form.cleaned_data)
            except TrackerError as exc:
                messages.error(request, str(exc))
            else:
                change = reverse("admin:events_event_change", args=[event.pk])
                return HttpResponseRedirect(change)
        return self._page(request, event, form)

    def _decide(self, request: HttpRequest, event: Event, data: dict) -> None:
        user, decision = request.user, data["decision"]
        if decision == NoticeDecisionForm.REJECT:
            event_notice_reject(event=event, user=user)
            done = _("The notice match was rejected.")
        elif decision == NoticeDecisionForm.AUTOMATIC:
            event = event_notice_rematch(event=event, user=user)
            done = _("The event is matched automatically again.")
        else:
            chosen = data["notice"] if decision == NoticeDecisionForm.OTHER else None
            event_notice_confirm(event=event, user=user, notice=chosen)
            done = _("The notice match was confirmed.")
        messages.success(request, done)

    def _page(
        self, request: HttpRequest, event: Event, form: NoticeDecisionForm
    ) -> TemplateResponse:
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Notice of %(event)s") % {"event": event},
            "opts": self.model._meta,
            "media": self.media + form.media,  # type: ignore[attr-defined]
            "event": event,
            "match": match_label(event),
            "form": form,
        }
        template = "admin/events/event/notice_match.html"
        return TemplateResponse(request, template, context)


admin.site.register(Notice, NoticeAdmin)
