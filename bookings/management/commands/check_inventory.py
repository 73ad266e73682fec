from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bookings.inventory import inventory_violations
from events.models import Event
from evently.management_args import ascii_int


class Command(BaseCommand):
    help = "Verify the inventory invariants of one event or all events; exit 1 on any violation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event_id", nargs="?", type=ascii_int)

    def handle(self, *args: Any, event_id: int | None, **options: Any) -> None:
        if event_id is not None and not Event.objects.filter(pk=event_id).exists():
            raise CommandError(f"Event {event_id} not found")
        violations = inventory_violations(event_id=event_id)
        for violation in violations:
            self.stderr.write(violation)
        if violations:
            raise CommandError(f"{len(violations)} inventory violation(s)")
        scope = f"event {event_id}" if event_id is not None else "all events"
        self.stdout.write(self.style.SUCCESS(f"Inventory OK ({scope})"))
