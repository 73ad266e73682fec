from django.urls import path

from bookings.api import views

urlpatterns = [
    path("events/<id:event_id>/book", views.BookEventView.as_view(), name="event-book"),
    path("me/bookings", views.MyBookingsView.as_view(), name="my-bookings"),
    path("bookings/<id:booking_id>", views.BookingCancelView.as_view(), name="booking-cancel"),
    path("admin/bookings", views.AdminBookingListView.as_view(), name="admin-bookings"),
]
