"""Gazetteer data for extraction beyond platforms and authorities: country names."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class CountryAlias(models.Model):
    """A name or adjective for a country in some language ("Россия",
    "Chinese", "ایران"), used to find the country a report is about."""

    country = CountryField()
    alias = models.CharField(max_length=200)
    language = models.CharField(
        max_length=35, blank=True, help_text=_("BCP 47 tag of the alias, if known.")
    )

    class Meta:
        ordering = ["country", "alias"]
        verbose_name_plural = "country aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["country", "alias"], name="countryalias_country_alias_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.country}"
