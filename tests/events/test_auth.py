"""Admin sign-in: lockout after repeated failures, two-factor for editors,
enrolment through a superuser's link, backup codes."""

import base64
import html
import io
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from events.auth import enrolment
from events.auth.devices import backup_codes_issue
from events.auth.two_factor import _qr_svg
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct-horse-9"


def login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_a_good_password_signs_in(client, curator):
    response = login(client, "curator")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(
    client, curator, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "curator", "wrong").status_code == 200
    assert login(client, "curator", "wrong").status_code == 429
    response = login(client, "curator")
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


def test_a_lockout_is_per_username(client, curator, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "curator", "wrong")
    assert login(client, "editor").status_code == 302


@pytest.fixture(autouse=True)
def _retry_at_once(settings):
    # django-otp slows retries after a wrong code; these tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED_FOR_EDITORS = True


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def link_path(user) -> str:
    return f"/admin/two-factor/enrol/{enrolment.enrolment_token_make(user=user)}/"


def enrol(client, user) -> TOTPDevice:
    """Open a fresh enrolment link for `user` (signed in) and confirm the
    authenticator; returns it."""
    assert client.get(link_path(user)).status_code == 302
    assert client.get("/admin/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/admin/two-factor/", {"token": code(device)}).status_code == 200
    return device


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return device, backup_codes_issue(user=user)


def test_an_editor_without_an_authenticator_is_sent_to_set_one_up(
    client, editor, otp_required
):
    login(client, "editor")
    response = client.get("/admin/events/event/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/two-factor/"


def test_a_curator_needs_no_second_factor(client, curator, otp_required):
    login(client, "curator")
    assert client.get("/admin/events/event/").status_code == 200


def test_an_editor_with_an_authenticator_needs_its_code_to_sign_in(
    client, editor, otp_required
):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    assert login(client, "editor").status_code == 200  # no code: refused
    assert login(client, "editor", otp_token="123456").status_code == 200
    assert client.get("/admin/").status_code == 302
    assert login(client, "editor", otp_token=code(device)).status_code == 302
    assert client.get("/admin/events/event/").status_code == 200


def test_a_curator_with_an_authenticator_must_use_it_too(client, curator):
    TOTPDevice.objects.create(user=curator, name="phone", confirmed=True)
    assert login(client, "curator").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_the_sign_in_page_asks_for_the_code(client):
    assert b'name="otp_token"' in client.get(LOGIN).content


def test_the_setup_page_shows_the_key_in_base32_groups_the_qr_code_carries(
    client, editor
):
    login(client, "editor")
    client.get(link_path(editor))
    page = client.get("/admin/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    shown = re.search(r'<code class="two-factor-key">([^<]+)</code>', page)[1]
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", shown)
    assert base64.b32decode(shown.replace(" ", "")) == device.bin_key
    uri = html.unescape(re.search(r'class="two-factor-uri" href="([^"]+)"', page)[1])
    assert uri.startswith("otpauth://totp/")
    assert parse_qs(urlsplit(uri).query)["secret"] == [shown.replace(" ", "")]
    assert _qr_svg(uri) in page  # the QR code drawn is that URI's


def test_an_editor_with_a_password_only_cannot_enrol(client, editor, otp_required):
    login(client, "editor")
    page = client.get("/admin/two-factor/")
    assert page.status_code == 403
    assert b"Ask a superuser for one" in page.content
    assert b"two-factor-key" not in page.content
    assert client.post("/admin/two-factor/", {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert client.get("/admin/events/event/")["Location"] == "/admin/two-factor/"


def test_an_editor_enrols_through_a_link_and_is_then_let_in(
    client, editor, otp_required
):
    login(client, "editor")
    assert client.get(link_path(editor))["Location"] == "/admin/two-factor/"
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200
    assert b"two-factor-qr" in page.content
    assert client.post("/admin/two-factor/", {"token": "000000"}).status_code == 200
    assert not TOTPDevice.objects.get(user=editor).confirmed
    device = TOTPDevice.objects.get(user=editor)
    assert client.post("/admin/two-factor/", {"token": code(device)}).status_code == 200
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert client.get("/admin/events/event/").status_code == 200


def test_an_enrolment_link_cannot_be_reused_after_enrolment(client, editor):
    path = link_path(editor)
    login(client, "editor")
    client.get(path)
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    client.post("/admin/two-factor/", {"token": code(device)})
    again = client.get(path)
    assert again.status_code == 403
    assert b"has been used" in again.content
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def sign_as_if_issued(token: str, hours_ago: float) -> str:
    """The same link, as if issued `hours_ago` hours ago."""

    class Earlier(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time() - hours_ago * 3600))

    payload = signing.loads(token, salt=enrolment.SALT)
    return Earlier(salt=enrolment.SALT).sign_object(payload)


@pytest.mark.parametrize(("hours_ago", "status"), [(71, 302), (73, 403)])
def test_an_enrolment_link_lasts_72_hours(client, editor, hours_ago, status):
    token = enrolment.enrolment_token_make(user=editor)
    login(client, "editor")
    response = client.get(
        f"/admin/two-factor/enrol/{sign_as_if_issued(token, hours_ago)}/"
    )
    assert response.status_code == status
    if status == 403:
        assert b"has expired" in response.content


def test_a_tampered_enrolment_link_is_refused(client, editor):
    token = enrolment.enrolment_token_make(user=editor)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    login(client, "editor")
    response = client.get(f"/admin/two-factor/enrol/{tampered}/")
    assert response.status_code == 403
    assert b"not valid" in response.content
    assert client.get("/admin/two-factor/").status_code == 403


def test_a_link_issued_for_someone_else_is_refused(client, curator, editor):
    login(client, "curator")
    response = client.get(link_path(editor))
    assert response.status_code == 403
    assert b"another account" in response.content


def test_changing_the_password_revokes_an_unused_link(client, editor):
    path = link_path(editor)
    editor.set_password("a-new-password-7")
    editor.save()
    login(client, "editor", "a-new-password-7")
    response = client.get(path)
    assert response.status_code == 403
    assert b"revoked" in response.content


def test_a_link_opened_signed_out_asks_to_sign_in_first(client, editor):
    path = link_path(editor)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    login(client, "editor")
    assert client.get(path)["Location"] == "/admin/two-factor/"


def test_a_curator_also_enrols_only_through_a_link(client, curator):
    login(client, "curator")
    assert client.get("/admin/two-factor/").status_code == 403
    assert not TOTPDevice.objects.filter(user=curator).exists()
    enrol(client, curator)
    assert TOTPDevice.objects.get(user=curator).confirmed


def test_confirming_the_authenticator_shows_ten_backup_codes_once(client, editor):
    login(client, "editor")
    client.get(link_path(editor))
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    shown = client.post("/admin/two-factor/", {"token": code(device)})
    codes = re.findall(
        r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", shown.content.decode()
    )
    assert len(set(codes)) == 10
    assert "no-store" in shown["Cache-Control"]
    later = client.get("/admin/two-factor/backup-codes/").content.decode()
    assert "10 unused backup codes" in later
    assert not any(c in later for c in codes)


def test_a_backup_code_signs_in_once(client, editor, otp_required):
    _device, codes = enrolled(editor)
    typed = f"{codes[0][:4]}-{codes[0][4:]}".upper()  # as shown, in capitals
    assert login(client, "editor", otp_token=typed).status_code == 302
    assert client.get("/admin/events/event/").status_code == 200
    client.post("/admin/logout/")
    assert login(client, "editor", otp_token=codes[0]).status_code == 200
    assert login(client, "editor", otp_token=codes[1]).status_code == 302
    assert StaticToken.objects.filter(device__user=editor).count() == 8


def test_regenerating_backup_codes_invalidates_the_old_ones(client, editor):
    device, old = enrolled(editor)
    login(client, "editor", otp_token=old[0])
    page = client.post("/admin/two-factor/backup-codes/", {"code": code(device)})
    new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page.content.decode())
    assert len(new) == 10
    client.post("/admin/logout/")
    assert login(client, "editor", otp_token=old[1]).status_code == 200
    assert login(client, "editor", otp_token=new[0]).status_code == 302


def test_regenerating_backup_codes_needs_a_current_code(client, editor):
    _device, codes = enrolled(editor)
    login(client, "editor", otp_token=codes[0])
    page = client.post("/admin/two-factor/backup-codes/", {"code": "123456"})
    assert page.status_code == 200
    assert b"not valid" in page.content
    assert set(
        StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
    ) == set(codes[1:])


def test_the_setup_page_leads_an_enrolled_user_to_the_backup_codes(client, editor):
    _device, codes = enrolled(editor)
    login(client, "editor", otp_token=codes[0])
    response = client.get("/admin/two-factor/")
    assert response["Location"] == "/admin/two-factor/backup-codes/"


def test_a_superuser_issues_an_enrolment_link_in_the_admin(
    client, superuser, editor, settings
):
    login(client, "root")
    assert client.get("/admin/two-factor/enrolment-links/").status_code == 200
    page = client.post("/admin/two-factor/enrolment-links/", {"user": editor.pk})
    link = re.search(
        r'<code class="enrolment-link">([^<]+)</code>', page.content.decode()
    )[1]
    assert link.startswith(f"{settings.SITE_URL}/admin/two-factor/enrol/")
    client.post("/admin/logout/")
    login(client, "editor")
    assert client.get(urlsplit(link).path)["Location"] == "/admin/two-factor/"


def test_a_superuser_is_told_when_an_account_already_has_an_authenticator(
    client, superuser, editor
):
    enrolled(editor)
    login(client, "root")
    page = client.post("/admin/two-factor/enrolment-links/", {"user": editor.pk})
    assert page.status_code == 200
    assert b"already has an authenticator" in page.content
    assert b'class="enrolment-link"' not in page.content


def test_only_a_superuser_may_issue_enrolment_links(client, editor):
    login(client, "editor")
    assert client.get("/admin/two-factor/enrolment-links/").status_code == 403
    page = client.post("/admin/two-factor/enrolment-links/", {"user": editor.pk})
    assert page.status_code == 403


def test_a_superuser_without_a_second_factor_cannot_issue_links_where_required(
    client, superuser, otp_required
):
    login(client, "root")
    response = client.post("/admin/two-factor/enrolment-links/", {"user": superuser.pk})
    assert response["Location"] == "/admin/two-factor/"


def test_an_editor_waiting_for_a_link_can_sign_out(client, editor, otp_required):
    login(client, "editor")
    assert client.post("/admin/logout/").status_code == 200
    assert client.get("/admin/two-factor/").status_code == 302  # signed out


def test_the_command_prints_a_link_the_user_can_enrol_with(client, superuser):
    out = io.StringIO()
    call_command("issue_enrolment_link", "root", stdout=out, stderr=io.StringIO())
    login(client, "root")
    assert client.get(urlsplit(out.getvalue().strip()).path).status_code == 302
    assert client.get("/admin/two-factor/").status_code == 200


@pytest.mark.parametrize(
    ("username", "message"),
    [("nobody", "no user is called"), ("editor", "already has an authenticator")],
)
def test_the_command_refuses_clearly(editor, username, message):
    enrolled(editor)
    with pytest.raises(CommandError, match=message):
        call_command("issue_enrolment_link", username, stderr=io.StringIO())
