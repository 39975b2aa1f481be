"""``load_demo`` under production settings: a clear error, and nothing written."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_load_demo_refuses_to_run_under_production_settings(settings):
    settings.PRODUCTION = True
    before = _row_counts()
    out = io.StringIO()
    with pytest.raises(CommandError, match="DJANGO_ENV=production"):
        call_command("load_demo", stdout=out)
    assert _row_counts() == before
    assert "Demo sign-ins" not in out.getvalue()


@pytest.mark.django_db
def test_load_demo_runs_outside_production(settings):
    settings.PRODUCTION = False
    call_command("load_demo", stdout=io.StringIO())
    assert apps.get_model("core", "Region").objects.filter(code="YH").exists()
