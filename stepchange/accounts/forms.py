"""Forms for the regional commissioner's user accounts pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet

from stepchange.accounts.models import Role, User
from stepchange.core.models import Region
from stepchange.organisations.models import Organisation


class _AccountFields(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False, empty_label="None"
    )
    region = forms.ModelChoiceField(label="Region", queryset=Region.objects.none(), required=False, empty_label="None")

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        regions: QuerySet[Region],
        roles: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["organisation"].queryset = organisations
        fields["region"].queryset = regions
        if roles is not None:
            fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]


class UserCreateForm(_AccountFields):
    username = forms.CharField(
        label="Username",
        max_length=150,
        # The model's own rule (letters, digits and @ . + - _ only), which a plain form field skips.
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only",
    )
    password = forms.CharField(
        label="Initial password",
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="At least 12 characters, not a common password; they can change it after signing in",
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "organisation", "region", "password"]


class UserEditForm(_AccountFields):
    is_active = forms.BooleanField(label="Account is open", required=False, help_text="Untick to stop them signing in")
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_account(cls, account: User, data: Any = None, **kwargs: Any) -> UserEditForm:
        names = ("first_name", "last_name", "email", "role", "is_active", "version")
        initial: dict[str, Any] = {name: getattr(account, name) for name in names}
        initial.update(organisation=account.organisation_id, region=account.region_id)
        return cls(data, initial=initial, **kwargs)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's length really checked.

    Django sets the username field's ``max_length`` after the field is built, so no validator
    enforces it: a 10,000-character username went on to ``authenticate()`` and to django-axes,
    whose log of failed attempts holds 255 characters, a DataError (a 500) on PostgreSQL.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(getattr(username, "max_length", None) or 150))
