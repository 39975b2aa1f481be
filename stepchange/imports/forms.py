from django import forms

from stepchange.core.forms import Form


class ImportUploadForm(Form):
    """A filled-in import template; the file itself is checked by imports/checking/."""

    file = forms.FileField(
        label="Upload the filled-in template",
        allow_empty_file=True,
        max_length=None,
        error_messages={"required": "Choose the filled-in template to upload", "invalid": "Choose a file to upload"},
    )


class VersionForm(Form):
    """The version of the import the page showed: a second person's change in between is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "Reload the page and try again"})
