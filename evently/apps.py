from django.apps import AppConfig


class EventlyConfig(AppConfig):
    """The project package as an app: shared cache helpers, templates, private SQLite files."""

    name = "evently"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.backends.signals import connection_created

        from evently.cache import retry_undelivered_invalidations
        from evently.sqlite_files import on_connection_created

        request_started.connect(retry_undelivered_invalidations, dispatch_uid="evently-cache-retry")
        connection_created.connect(on_connection_created, dispatch_uid="evently-sqlite-private")
