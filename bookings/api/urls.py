from rest_framework.routers import SimpleRouter

from bookings.api import views

router = SimpleRouter(trailing_slash=False)
router.register("events", views.EventBookingViewSet, basename="event-booking")
router.register("me/bookings", views.MyBookingViewSet, basename="my-booking")
router.register("bookings", views.BookingViewSet, basename="booking")
router.register("admin/bookings", views.AdminBookingViewSet, basename="admin-booking")
router.register("events", views.EventCalendarViewSet, basename="event-calendar")
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("admin/events", views.AdminCheckinViewSet, basename="admin-checkin")
router.register("admin/events", views.AdminEventAttendeeViewSet, basename="admin-event-attendee")

urlpatterns = router.urls
