from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications.services import notifications_sweep


class Command(BaseCommand):
    help = "Deliver (or queue) notifications left pending, e.g. by a crash; `make run` runs it at start."

    def handle(self, *args: Any, **options: Any) -> None:
        result = notifications_sweep()
        self.stdout.write(
            f"notifications sweep: {result['fanned_out']} event change(s) fanned out, "
            f"{result['queued']} notification(s) queued"
        )
