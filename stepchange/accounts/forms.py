"""Forms of the accounts pages: inviting people, changing an account, changing an address, signing in.

No form here has a field for another person's password: people choose their own through the
link they are e-mailed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet

from stepchange.accounts.access import COMMISSIONER_ROLES
from stepchange.accounts.models import User
from stepchange.core.forms import Form, GovukErrorMessages
from stepchange.core.models import Region
from stepchange.core.roles import Role
from stepchange.organisations.forms import SelfRegistrationForm
from stepchange.organisations.models import Organisation


class _PersonFields(Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        # The model's own rule (letters, digits and @ . + - _ only), which a plain form field skips.
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only. They sign in with it.",
    )
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(
        label="Email address", help_text="We email them a link to choose their own password. It works once, for 7 days."
    )


class StaffInviteForm(_PersonFields):
    """A provider organisation's administrator invites a member of its staff."""


class FirstCommissionerInviteForm(_PersonFields):
    """The national administrator invites a new region's first regional commissioner: the role and
    region are the page's, not the form's."""


class InviteForm(_PersonFields):
    """The regional team invites a commissioner's staff member, or a provider's first administrator."""

    role = forms.ChoiceField(label="Role")
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None",
        help_text="A provider organisation is listed only while it has nobody: the person invited becomes its administrator.",
    )
    region = forms.ModelChoiceField(label="Region", queryset=Region.objects.none(), required=False, empty_label="None")

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        regions: QuerySet[Region],
        roles: list[Role] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["organisation"].queryset = organisations
        fields["region"].queryset = regions
        fields["role"].choices = [
            *((role.value, role.label) for role in (roles if roles is not None else COMMISSIONER_ROLES)),
            (Role.PROVIDER.value, "Provider: the organisation's administrator"),
            (Role.INFRASTRUCTURE.value, "Infrastructure body: the organisation's administrator"),
        ]


class CommissionerStaffEditForm(Form):
    """The regional team changes a commissioner's staff member (the address is changed apart)."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=[(role.value, role.label) for role in COMMISSIONER_ROLES])
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False, empty_label="None"
    )
    region = forms.ModelChoiceField(label="Region", queryset=Region.objects.none(), required=False, empty_label="None")
    is_active = forms.BooleanField(label="Account is open", required=False, help_text="Untick to stop them signing in")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        regions: QuerySet[Region],
        roles: list[Role] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["organisation"].queryset = organisations
        fields["region"].queryset = regions
        if roles is not None:
            fields["role"].choices = [(role.value, role.label) for role in roles]

    @classmethod
    def for_account(cls, account: User, data: Any = None, **kwargs: Any) -> CommissionerStaffEditForm:
        names = ("first_name", "last_name", "role", "is_active", "version")
        initial: dict[str, Any] = {name: getattr(account, name) for name in names}
        initial.update(organisation=account.organisation_id, region=account.region_id)
        return cls(data, initial=initial, **kwargs)


class ProviderStaffEditForm(Form):
    """The regional team changes a provider's staff member: never their address, role or organisation."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    is_active = forms.BooleanField(label="Account is open", required=False, help_text="Untick to stop them signing in")
    is_organisation_admin = forms.BooleanField(
        label="Administers their organisation's people",
        required=False,
        help_text="They invite their organisation's staff and close their accounts",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_account(cls, account: User, data: Any = None, **kwargs: Any) -> ProviderStaffEditForm:
        names = ("first_name", "last_name", "is_active", "is_organisation_admin", "version")
        return cls(data, initial={name: getattr(account, name) for name in names}, **kwargs)


class EmailChangeForm(Form):
    new_email = forms.EmailField(
        label="New email address",
        help_text="We email it a link to confirm the change, and tell the current address. Nothing changes until the link is used.",
    )


class OwnEmailChangeForm(EmailChangeForm):
    """Changing one's own address asks for the password, so an unattended session cannot do it."""

    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput(render_value=False))

    def __init__(self, *args: Any, account: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.account.check_password(password):
            raise forms.ValidationError("Your password is not right")
        return password


class SignInForm(GovukErrorMessages, AuthenticationForm):
    """Django's sign-in form, with the username's length really checked.

    Django sets the username field's ``max_length`` after the field is built, so no validator
    enforces it: a 10,000-character username went on to ``authenticate()`` and to django-axes,
    whose log of failed attempts holds 255 characters, a DataError (a 500) on PostgreSQL.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(getattr(username, "max_length", None) or 150))


class PasswordAskForm(GovukErrorMessages, PasswordResetForm):
    """Django's form asking for a password reset link, with GOV.UK messages."""


class NewPasswordForm(GovukErrorMessages, SetPasswordForm):
    """Django's form for choosing a password (invitation, reset), with GOV.UK messages."""


class RegistrationForm(SelfRegistrationForm):
    """Self-registration: the organisation, its services, and the account of the person registering,
    who becomes its first provider user and its administrator."""

    username = forms.CharField(
        label="Your username",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only. You sign in with it.",
    )
    first_name = forms.CharField(label="Your first name", max_length=150)
    last_name = forms.CharField(label="Your last name", max_length=150, required=False)
    email = forms.EmailField(
        label="Your email address",
        help_text="We email you a link to confirm it and choose your password. It works once, for 7 days.",
    )

    PERSON = ("username", "first_name", "last_name", "email")

    def person(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.PERSON}
