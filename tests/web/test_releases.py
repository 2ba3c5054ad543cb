"""/releases/: the list and page of each ready release, citations, and the
downloads streamed with their checksum as ETag."""

from __future__ import annotations

import hashlib

import pytest

from events.choices import ReleaseState
from events.models import Release
from events.services.releases import release_cut
from events.tasks import cut_release
from tests.web.conftest import published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def releases_root(settings, tmp_path):
    settings.RELEASES_ROOT = tmp_path / "releases"
    settings.SITE_URL = "https://tracker.example.org"
    return settings.RELEASES_ROOT


def built(editor, title: str = "", notes: str = "") -> Release:
    release = release_cut(user=editor, title=title, notes=notes)
    cut_release(release.pk)
    release.refresh_from_db()
    assert release.state == ReleaseState.READY, release.error
    return release


def test_list_shows_each_ready_release_with_files_and_checksums(client, editor, record):
    first = built(editor, title="Spring")
    published(target="Added later")
    second = built(editor)
    Release.objects.create(number=3)

    page = client.get("/releases/")

    body = page.content.decode()
    assert page.status_code == 200
    assert "Release 2" in body and "Release 1" in body and "Release 3" not in body
    assert body.index("Release 2") < body.index("Release 1")
    assert "Spring" in body
    for release in (first, second):
        assert release.csv_sha256 in body
        assert release.jsonl_sha256 in body
        assert f"/releases/{release.number}/{release.file_name('csv')}" in body
    assert "1 added, 0 changed, 0 removed" in body


def test_list_says_when_there_is_no_release_yet(client):
    response = client.get("/releases/")

    assert response.status_code == 200
    assert "No release has been published yet" in response.content.decode()


def test_detail_shows_counts_changes_and_a_ready_citation(client, editor, record):
    release = built(editor, title="Spring", notes="What is in it.")
    day = release.as_of.date().isoformat()

    response = client.get("/releases/1/")

    body = response.content.decode()
    citation = response.context["citation"]
    assert response.status_code == 200
    assert citation.text == (
        f"Censorship Tracker ({release.as_of.year}). Blocking events dataset, "
        f"release 1 ({day}) [Data set]. https://tracker.example.org/releases/1/. "
        f"SHA-256 {release.csv_sha256[:12]}…"
    )
    assert "url = {https://tracker.example.org/releases/1/}" in citation.bibtex
    assert f"date = {{{day}}}" in citation.bibtex
    assert citation.text in body
    assert "@misc{censorshiptracker_r1," in body
    assert "What is in it." in body
    assert "China" in body and "Iran" in body  # countries by name
    assert "The first release: every event is new." in body
    assert release.manifest_sha256 in body


@pytest.mark.parametrize("kind", ["csv", "jsonl", "manifest", "changelog"])
def test_download_streams_the_file_with_its_checksum(client, editor, record, kind):
    release = built(editor)
    name = release.file_name(kind)

    response = client.get(f"/releases/1/{name}")

    data = b"".join(response.streaming_content)
    sha = getattr(release, f"{kind}_sha256")
    assert response.status_code == 200
    assert hashlib.sha256(data).hexdigest() == sha
    assert response["ETag"] == f'"{sha}"'
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert int(response["Content-Length"]) == getattr(release, f"{kind}_bytes")
    expected_type = {
        "csv": "text/csv; charset=utf-8",
        "jsonl": "application/jsonl; charset=utf-8",
        "manifest": "text/tab-separated-values; charset=utf-8",
        "changelog": "application/json",
    }[kind]
    assert response["Content-Type"] == expected_type


def test_download_with_a_current_etag_is_not_sent_again(client, editor, record):
    release = built(editor)
    etag = f'"{release.csv_sha256}"'

    response = client.get("/releases/1/tracker-events-r1.csv", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag


@pytest.mark.parametrize(
    "path",
    [
        "/releases/2/",
        "/releases/3/",
        "/releases/9/",
        "/releases/99999999999999999999/",
        "/releases/2/tracker-events-r2.csv",
        "/releases/1/tracker-events-r2.csv",
        "/releases/1/tracker-events-r1.txt",
        "/releases/1/..%2Fsettings.py",
        "/releases/9/tracker-events-r9.csv",
    ],
)
def test_unknown_pending_or_failed_release_or_file_is_a_404(
    client, editor, record, releases_root, path
):
    built(editor)
    Release.objects.create(number=2)
    Release.objects.create(number=3, state=ReleaseState.FAILED, error="boom")
    # A file on disk does not make a release that is not ready public.
    (releases_root / "tracker-events-r2.csv").write_text("secret")

    assert client.get(path).status_code == 404


def test_download_of_a_file_gone_from_disk_is_a_404(
    client, editor, record, releases_root
):
    release = built(editor)
    (releases_root / release.file_name("csv")).unlink()

    assert client.get("/releases/1/tracker-events-r1.csv").status_code == 404


def test_navigation_and_sitemap_name_the_releases(client, editor, record):
    built(editor)

    home = client.get("/").content.decode()
    sitemap = client.get("/sitemap-releases.xml").content.decode()
    pages = client.get("/sitemap-home.xml").content.decode()

    assert 'href="/releases/"' in home
    assert "http://testserver/releases/1/" in sitemap
    assert "http://testserver/releases/" in pages


@pytest.mark.parametrize("path", ["/releases/", "/releases/{last}/"])
def test_pages_run_the_same_queries_for_one_release_as_for_five(
    client, editor, record, django_assert_max_num_queries, path
):
    built(editor)
    with django_assert_max_num_queries(2) as one:
        client.get(path.format(last=1))
    for _ in range(4):
        built(editor)

    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(path.format(last=5)).status_code == 200


def test_nothing_unpublished_is_in_a_release_or_its_pages(
    client, editor, record, releases_root
):
    release = built(editor)

    bodies = [client.get("/releases/").content, client.get("/releases/1/").content]
    bodies += [
        b"".join(client.get(f"/releases/1/{release.file_name(kind)}").streaming_content)
        for kind in ("csv", "jsonl", "manifest", "changelog")
    ]
    text = b"\n".join(bodies).decode()
    secrets = ["Secretapp", "secretapp", "Hidden Office", "hidden-office", "KP"]
    secrets += ["WeChat draft", "Unpublished"]
    secrets += [str(event.public_id) for event in record.unpublished]
    assert [word for word in secrets if word in text] == []
    assert release.event_count == len(record.published)
