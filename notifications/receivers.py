"""The lower apps' in-transaction signals, turned into notification rows of the same
transaction (connected in NotificationsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.signals import password_reset_requested
from bookings.signals import booking_cancelled, booking_confirmed, booking_waitlisted
from events.signals import event_rescheduled
from notifications import services


@receiver(booking_confirmed, dispatch_uid="notifications.booking_confirmed")
def on_booking_confirmed(sender: Any, *, booking: Any, promoted: bool = False, **kwargs: Any) -> None:
    services.notify_booking_confirmed(booking=booking, promoted=promoted)


@receiver(booking_waitlisted, dispatch_uid="notifications.booking_waitlisted")
def on_booking_waitlisted(sender: Any, *, booking: Any, **kwargs: Any) -> None:
    services.notify_waitlist_joined(booking=booking)


@receiver(booking_cancelled, dispatch_uid="notifications.booking_cancelled")
def on_booking_cancelled(
    sender: Any, *, booking: Any, by_admin: bool = False, previous_status: str = "",
    account_deactivated: bool = False, **kwargs: Any,
) -> None:
    services.notify_booking_cancelled(
        booking=booking, by_admin=by_admin, previous_status=previous_status,
        account_deactivated=account_deactivated,
    )


@receiver(event_rescheduled, dispatch_uid="notifications.event_rescheduled")
def on_event_rescheduled(sender: Any, *, event: Any, changes: dict, **kwargs: Any) -> None:
    services.event_change_record(event=event, changes=changes)


@receiver(password_reset_requested, dispatch_uid="notifications.password_reset_requested")
def on_password_reset_requested(sender: Any, *, user: Any, **kwargs: Any) -> None:
    services.notify_password_reset(user=user)
