"""Citizen Lab test lists give website targets a category; never an event."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from events.choices import Status, TargetType
from events.ingest.parse.citizenlab import read_test_list
from events.models import Event, Target
from events.services.target_categories import targets_categorise
from tests.events.admin_support import change_url
from tests.events.ingest.corpus import DATASETS, dataset
from tests.events.target_support import make
from tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db

LISTS = "citizenlab-test-lists-rows-noted-blocked.csv"


@pytest.fixture
def sites():
    """Two website targets the real list names (cecc.gov on two platforms,
    one with a draft only) and one it does not."""
    web, other = PlatformFactory(), PlatformFactory()
    cecc = make(platform=web, target="https://www.cecc.gov/", target_type="website")
    draft = make(
        platform=other,
        target="cecc.gov",
        target_type=TargetType.WEBSITE,
        status=Status.DRAFT,
    )
    navalny = make(platform=web, target="navalny.com", target_type="website")
    unlisted = make(platform=web, target="example.org", target_type="website")
    return cecc.target_ref, draft.target_ref, navalny.target_ref, unlisted.target_ref


def entries():
    found, result = read_test_list(dataset(LISTS).decode())
    assert result.warnings == []
    return found


def test_matching_targets_gain_their_category_and_nothing_else_is_made(sites):
    cecc, draft, navalny, unlisted = sites
    events, targets = Event.objects.count(), Target.objects.count()

    report = targets_categorise(entries=entries())

    assert (report.matched, report.unmatched, report.targets_updated) == (2, 125, 3)
    assert (Event.objects.count(), Target.objects.count()) == (events, targets)
    for target in (cecc, draft, navalny, unlisted):
        target.refresh_from_db()
    assert (cecc.category, cecc.category_description) == ("GOVT", "Government")
    assert draft.category == "GOVT"
    assert navalny.category == "POLR"
    assert (unlisted.category, unlisted.category_description) == ("", "")
    assert cecc.history.first().history_change_reason.startswith(
        "category from Citizen Lab test list (line 3)"
    )


def test_a_second_import_changes_nothing(sites):
    targets_categorise(entries=entries())
    history = sum(t.history.count() for t in Target.objects.all())

    report = targets_categorise(entries=entries())

    assert (report.targets_updated, report.targets_unchanged) == (0, 3)
    assert sum(t.history.count() for t in Target.objects.all()) == history


def test_the_command_reports_what_matched(sites):
    out = StringIO()
    call_command("import_test_list", str(DATASETS / LISTS), stdout=out)
    assert (
        "127 entries read, 0 bad; 2 matched a website target, 125 did not, "
        "0 conflicting; 3 target(s) updated, 0 already so"
    ) in out.getvalue()
    assert "no target: chainnews.com, uscirf.gov" in out.getvalue()


def test_the_command_refuses_a_file_that_is_no_test_list(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="not a Citizen Lab test list"):
        call_command("import_test_list", str(other))
    with pytest.raises(CommandError, match="neither an http"):
        call_command("import_test_list", str(tmp_path / "missing.csv"))


def test_the_admin_and_a_public_target_page_show_the_category(sites, client, curator):
    cecc, draft, *_ = sites
    targets_categorise(entries=entries())
    client.force_login(curator)
    assert "Government" in client.get(change_url(cecc, "target")).content.decode()
    client.logout()
    page = client.get(reverse("public:target", args=[cecc.pk])).content.decode()
    assert "Category Government" in " ".join(page.split())
    # A target with no published event has no public page at all.
    assert client.get(reverse("public:target", args=[draft.pk])).status_code == 404


def test_a_masked_target_page_hides_the_category(sites, client):
    cecc, *_ = sites
    targets_categorise(entries=entries())
    Target.objects.filter(pk=cecc.pk).update(masked=True, pseudonym="Site A")
    page = client.get(reverse("public:target", args=[cecc.pk])).content.decode()
    assert "Site A" in page
    assert "Government" not in page
