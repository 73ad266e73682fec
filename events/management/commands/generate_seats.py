from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.exceptions import InvalidEventField
from events.services import seat_map_generate
from evently.errors import DomainError
from evently.management_args import ascii_int


class Command(BaseCommand):
    help = "Create a rows × cols seat grid for an event without seats (capacity becomes rows×cols)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event_id", type=ascii_int)
        parser.add_argument("--rows", type=ascii_int, required=True, help="1–702")
        parser.add_argument("--cols", type=ascii_int, required=True, help="1–500")

    def handle(self, *args: Any, event_id: int, rows: int, cols: int, **options: Any) -> None:
        try:
            event, created = seat_map_generate(event_id=event_id, rows=rows, cols=cols)
        except InvalidEventField as exc:
            # Its detail is "<field>: <message>", and the service files every grid error under
            # "rows" (the API's 422 body keeps that); the message itself names both arguments.
            raise CommandError(exc.extra["errors"][exc.field][0]) from None
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created {created} seats for event {event.id}; capacity {event.capacity}")
        )
