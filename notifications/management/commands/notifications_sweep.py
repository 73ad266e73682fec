from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from notifications.services import notifications_sweep


class Command(BaseCommand):
    help = (
        "Deliver (or queue) notifications left pending, e.g. by a crash; `make run` runs it at "
        "start. Exits 1 when some could not be queued or sent now, or an event change could not "
        "be fanned out (the rows stay pending: the next sweep tries again)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = notifications_sweep()
        self.stdout.write(
            f"notifications sweep: {result['fanned_out']} event change(s) fanned out, "
            f"{result['queued']} notification(s) queued"
        )
        if result["left"] or result["failed_fan_outs"]:
            raise CommandError(
                f"{result['left']} notification(s) could not be queued or sent now and "
                f"{result['failed_fan_outs']} event change(s) could not be fanned out (see the "
                "log above); they stay pending and the next sweep tries again"
            )
