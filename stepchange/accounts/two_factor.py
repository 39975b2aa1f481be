"""Two-factor sign-in with an authenticator app (TOTP), and single-use backup codes.

Required for the roles that see or change the most (the regional commissioner, the area office
analyst, evaluators, who see sealed bids after a deadline, and the national administrator, who
changes what every region is measured against) and for Django superusers; offered to everyone.
A person who must use it and has not set it up is sent to set it up before anything else; a
person who has set it up is asked for a code after their password. Until then every page but
these and sign-out answers with a redirect, so nothing is shown to a half-signed-in session.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepchange.accounts.access import must_use_two_factor
from stepchange.core.audit import audit_record
from stepchange.core.forms import Form

BACKUP_CODES = 10
# Paths a half-signed-in person may still reach: these pages, sign-out, password reset, the links
# people are e-mailed (they work without signing in), assets. Not "Your account" nor "People".
OPEN_PREFIXES = (
    "/account/sign-in/",
    "/account/sign-out/",
    "/account/two-factor/",
    "/account/password-reset/",
    "/account/invitation/",
    "/account/email-change/",
    "/static/",
)
TOO_MANY = "Too many wrong codes in a row. Wait a minute, then enter the code your app shows then."


def needs_second_step(user: Any) -> bool:
    """Signed in with a password, but not yet with the second factor they must or chose to use."""
    if not user.is_authenticated or user.is_verified():
        return False
    return must_use_two_factor(user) or user_has_device(user, confirmed=True)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if needs_second_step(user) and not request.path.startswith(OPEN_PREFIXES):
            target = (
                "accounts:two-factor-verify" if user_has_device(user, confirmed=True) else "accounts:two-factor-setup"
            )
            return HttpResponseRedirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    # Shown beside the key in text: the picture is decorative for a screen reader.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: show its key (as a QR code and as text), confirm with a code."""
    user: Any = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(f"{reverse('accounts:two-factor-verify')}?next={_next_url(request)}")
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Authenticator app"})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", TOO_MANY)
        elif device.verify_token(form.cleaned_data["code"].strip().replace(" ", "")):
            codes = _confirm(request, device)
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})
        else:
            form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now.")
    key = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - generated by qrcode from our own key
            "next": _next_url(request),
            "required": must_use_two_factor(user),
        },
    )


@transaction.atomic
def _confirm(request: HttpRequest, device: TOTPDevice) -> list[str]:
    user: Any = request.user
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="Backup codes")
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    otp_login(request, device)
    audit_record(actor=user, action="two_factor_set_up", obj=user, after={"two_factor": "authenticator app"})
    return codes


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in."""
    user: Any = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        return redirect(f"{reverse('accounts:two-factor-setup')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "")
        devices = [*TOTPDevice.objects.filter(user=user, confirmed=True), *StaticDevice.objects.filter(user=user)]
        # Each device slows down guessing by itself (django-otp's throttling doubles its wait).
        open_devices = [d for d in devices if d.verify_is_allowed()[0]]
        for device in open_devices:
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(_next_url(request))
        if len(open_devices) < len(devices):
            form.add_error("code", TOO_MANY)
        else:
            form.add_error("code", "The code is not right. Enter the code your app shows now, or a backup code.")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Where anyone can see whether they use two-factor sign-in, and set it up."""
    user: Any = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "has_app": user_has_device(user, confirmed=True),
            "required": must_use_two_factor(user),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
        },
    )
