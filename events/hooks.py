"""Extension points of the events app, filled in by apps that build on it.

`capacity_available` runs inside the event lock whenever an event may have room for
waiting bookings: capacity increased, event reactivated. The bookings app registers its
waitlist promotion here (BookingsConfig.ready), so events never imports bookings.
"""

from __future__ import annotations

from collections.abc import Callable

from events.models import Event

CapacityHook = Callable[..., object]
_capacity_hooks: list[CapacityHook] = []


def register_capacity_hook(hook: CapacityHook) -> None:
    if hook not in _capacity_hooks:
        _capacity_hooks.append(hook)


def capacity_available(*, event: Event) -> None:
    for hook in _capacity_hooks:
        hook(event=event)
