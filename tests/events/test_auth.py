"""Admin sign-in: lockout after repeated failures, two-factor for editors."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED_FOR_EDITORS = True
    # django-otp slows retries after a wrong code; these tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


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


def test_an_editor_enrols_and_is_then_let_in(client, editor, otp_required):
    login(client, "editor")
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert client.post("/admin/two-factor/", {"token": "000000"}).status_code == 200
    response = client.post("/admin/two-factor/", {"token": code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=editor).confirmed
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
