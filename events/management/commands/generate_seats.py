from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.services import seat_map_generate
from evently.errors import DomainError


class Command(BaseCommand):
    help = "Create a rows × cols seat grid for an event without seats (capacity becomes rows×cols)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event_id", type=int)
        parser.add_argument("--rows", type=int, required=True, help="1–702")
        parser.add_argument("--cols", type=int, required=True, help="1–500")

    def handle(self, *args: Any, event_id: int, rows: int, cols: int, **options: Any) -> None:
        try:
            event, created = seat_map_generate(event_id=event_id, rows=rows, cols=cols)
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created {created} seats for event {event.id}; capacity {event.capacity}")
        )
