"""factory_boy factories for the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from events.choices import Action, DatePrecision, Status, TargetType
from events.models import Authority, Event, Platform, Source, Target
from events.services.targets import target_for


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Platform {n}")
    slug = factory.Sequence(lambda n: f"platform-{n}")


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        # The gazetteer seed migration already holds many real authorities.
        django_get_or_create = ("name", "country")

    name = factory.Sequence(lambda n: f"Authority {n}")
    slug = factory.Sequence(lambda n: f"authority-{n}")
    country = "CN"


def _target_of(event: Any) -> Target | None:
    if event.platform.pk is None:  # built, not created: nothing is saved
        return None
    pk = target_for(
        platform=event.platform,
        target_type=event.target_type,
        target=event.target,
        target_url=getattr(event, "target_url", ""),
        country=str(event.country),
    )
    return Target.objects.get(pk=pk)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    platform = factory.SubFactory(PlatformFactory)
    target = factory.Sequence(lambda n: f"Target account {n}")
    target_type = TargetType.ACCOUNT
    authority = factory.SubFactory(AuthorityFactory)
    country = "CN"
    action = Action.BLOCKED
    date = dt.date(2018, 8, 21)
    date_precision = DatePrecision.DAY
    notice_text = "The account is currently blocked, and content is not available."
    notice_language = "en"
    status = Status.DRAFT
    # Every write path links an event to its target (events.services.targets);
    # here before the save, so that the first history row has it too.
    target_ref = factory.LazyAttribute(_target_of)
    # As events.services.targets sets it: the pseudonym of a masked target.
    masked_as = factory.LazyAttribute(
        lambda event: (
            event.target_ref.pseudonym
            if event.target_ref is not None and event.target_ref.masked
            else ""
        )
    )


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    event = factory.SubFactory(EventFactory)
    url = factory.Sequence(lambda n: f"https://news.example.org/story-{n}")
    title = factory.Sequence(lambda n: f"Story {n}")
    publisher = "Example News"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def groups(
        self, create: bool, extracted: list[str] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()
