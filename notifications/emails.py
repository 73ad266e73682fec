"""A notification as an email: plain text and HTML from notifications/templates/, times in
the event's zone, the .ics attached to confirmations and promotions, a link to the web app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from accounts import services as account_services
from bookings.tickets import booking_ics
from events.calendar import METHOD, event_ics
from notifications.formatting import seats_text, when
from notifications.models import Notification

Kind = Notification.Kind
WITH_CALENDAR = {Kind.BOOKING_CONFIRMED, Kind.WAITLIST_PROMOTED}
RESET_EMAIL_BODY = (
    "Someone (hopefully you) asked to reset your password. Use the link below to choose a new "
    "one; if it wasn't you, ignore this email and your password stays as it is."
)


def _context(notification: Notification) -> dict[str, Any]:
    event = notification.event
    user = notification.user
    details: list[tuple[str, str]] = []
    link, link_label = f"{settings.WEB_APP_URL}/app/bookings", "See my bookings"
    if event is not None:
        details += [("Event", event.name), ("When", when(event)), ("Where", event.venue)]
    data = notification.data or {}
    if notification.kind in WITH_CALENDAR or notification.kind == Kind.WAITLIST_JOINED:
        details.append(("Tickets", seats_text(data.get("qty", 0), data.get("seat_labels") or [])))
    if notification.booking_id:
        details.append(("Booking", f"#{notification.booking_id}"))
    if notification.kind == Kind.EVENT_CHANGED and event is not None:
        link, link_label = f"{settings.WEB_APP_URL}/app/events/{event.pk}", "See the event"
    body = notification.body
    if notification.kind == Kind.PASSWORD_RESET:
        body = RESET_EMAIL_BODY  # the stored body (the in-app list) points to this email
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        link = account_services.password_reset_link(user=user)
        link_label = "Choose a new password"
        details.append(("Link valid for", f"{minutes} minutes, once"))
    return {
        "name": user.name,
        "title": notification.title,
        "body": body,
        "details": details,
        "link": link,
        "link_label": link_label,
        "web_app_url": settings.WEB_APP_URL,
    }


def build_email(notification: Notification) -> EmailMultiAlternatives:
    """The email for `notification` (to its user), with the stable Message-ID header. The
    subject is the title on one line: an event name may hold line breaks, which a mail
    header cannot (Django refuses such a header, and every retry would fail the same way)."""
    context = _context(notification)
    message = EmailMultiAlternatives(
        subject=" ".join(notification.title.split()),
        body=render_to_string("notifications/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
        headers={"Message-ID": notification.message_id},
    )
    message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    if notification.kind in WITH_CALENDAR and notification.event is not None:
        labels = (notification.data or {}).get("seat_labels") or None
        booking = notification.booking
        if booking is not None:
            # The booking's own file (its UID, its state when the email leaves): the same
            # entry as /me/bookings/{id}/calendar.ics, so a later download updates it.
            booking.event = notification.event
            calendar = booking_ics(booking, seat_labels=labels or [])
        else:
            calendar = event_ics(notification.event, seat_labels=labels)
        # RFC 6047 2.4: the part names the file's iTIP method (`method=PUBLISH`).
        message.attach(f"event-{notification.event_id}.ics", calendar, f"text/calendar; method={METHOD}")
    return message
