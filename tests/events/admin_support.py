"""Helpers for driving the admin as a browser would."""

from __future__ import annotations

from html.parser import HTMLParser

from django.urls import reverse

# WhiteNoise warns when STATIC_ROOT (collectstatic's output) does not exist yet,
# as in a fresh checkout; the admin pages do not need it under test.


def changelist_url(model: str = "event") -> str:
    return reverse(f"admin:events_{model}_changelist")


def change_url(obj: object, model: str = "event") -> str:
    return reverse(f"admin:events_{model}_change", args=[obj.pk])  # type: ignore[attr-defined]


def history_url(obj: object, model: str = "event") -> str:
    return reverse(f"admin:events_{model}_history", args=[obj.pk])  # type: ignore[attr-defined]


def add_url(model: str = "event") -> str:
    return reverse(f"admin:events_{model}_add")


def transition_url(event: object, name: str) -> str:
    return reverse("admin:events_event_transition", args=[event.pk, name])  # type: ignore[attr-defined]


def seen(*events: object) -> dict[str, str]:
    """The version fields a page showing these events sends with a transition
    (as read now): what an editor who just loaded the page would post."""
    from events.models import Event

    rows = Event.objects.filter(pk__in=[e.pk for e in events])  # type: ignore[attr-defined]
    return {f"version-{event.pk}": event.version for event in rows}


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the form with a given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = attr.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input":
            self._input(attr)
        elif tag == "select":
            self.select, self.options = attr.get("name"), []
        elif tag == "option" and self.select:
            self.options.append((attr.get("value", ""), "selected" in attr))
        elif tag == "textarea":
            self.textarea, self.text = attr.get("name"), ""

    def _input(self, attr: dict[str, str]) -> None:
        kind = attr.get("type", "text")
        if "name" not in attr or kind in {"submit", "button", "image", "file"}:
            return
        default = ""
        if kind in {"checkbox", "radio"}:
            if "checked" not in attr:
                return
            default = "on"
        self.data.setdefault(attr["name"], []).append(attr.get("value", default))

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options:
                chosen = [self.options[0][0]]
            self.data[self.select] = chosen
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the newline that follows <textarea>.
            text = self.text[1:] if self.text.startswith("\n") else self.text
            self.data[self.textarea] = [text]
            self.textarea = None


def form_data(response: object, form_id: str = "event_form") -> dict[str, object]:
    """The POST data of a rendered admin form, as a browser would send it."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())  # type: ignore[attr-defined]
    return {
        name: values[0] if len(values) == 1 else values
        for name, values in reader.data.items()
    }
