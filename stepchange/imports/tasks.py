"""The import's work done outside the request, by ``manage.py db_worker`` (django-tasks with its
database backend): a page only enqueues, then shows the import's progress as the worker records it."""

from __future__ import annotations

from django_tasks import task

from stepchange.imports import services


@task()
def check_import(import_id: int) -> None:
    services.import_check(import_id=import_id)


@task()
def save_import(import_id: int) -> None:
    services.import_save(import_id=import_id)


@task()
def undo_import(import_id: int) -> None:
    services.import_undo_requested(import_id=import_id)
