"""Ids in admin URLs: one that cannot be a key of the page's model is a 404."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import Any

from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model


def is_valid_id(field: Field, value: str) -> bool:
    """Whether `value` (as it came in the URL, admin-quoted) could be a value
    of the key `field`: its type and the range of its column."""
    value = unquote(value)
    if "\x00" in value:  # PostgreSQL refuses NUL in any string parameter
        return False
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


def _id_fields(model_admin: ModelAdmin) -> list[Field]:
    """The key fields of a view's positional ids, in order: the model's, then
    its history's (simple-history's version page takes object and version)."""
    fields = [model_admin.model._meta.pk]
    with contextlib.suppress(NotHistoricalModelError):
        fields.append(get_history_model_for_model(model_admin.model)._meta.pk)
    return fields


def reject_malformed_ids(view: Callable) -> Callable:
    """`view`, answering 404 when an id in its URL cannot be a key of its
    model (`abc`, `1.5`, a number beyond the column's range, NUL), where
    Django's admin would redirect to the index and simple-history's pages
    fail with a 500 on PostgreSQL. Only views of a ModelAdmin (its bound
    methods, as every admin URL with an id routes to) are checked: their
    model says what an id is."""
    model_admin = getattr(view, "__self__", None)
    if not isinstance(model_admin, ModelAdmin):
        return view

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fields = _id_fields(model_admin)
        given = [(fields[0], kwargs["object_id"])] if "object_id" in kwargs else []
        given += list(zip(fields, args, strict=False))
        if not all(is_valid_id(field, str(value)) for field, value in given):
            raise Http404("No such object: the id is malformed.")
        return view(request, *args, **kwargs)

    return checked
