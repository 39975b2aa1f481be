"""The pack's building, done outside the request by ``manage.py db_worker`` (django-tasks with its
database backend): the page that asks for a pack only enqueues, then shows how far the worker has got."""

from __future__ import annotations

from django_tasks import task

from stepchange.pack import services


@task()
def build_pack(pack_id: int) -> None:
    services.pack_build(pack_id=pack_id)
