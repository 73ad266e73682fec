from django.urls import path

from events.api import views

urlpatterns = [
    path("events", views.EventListView.as_view(), name="event-list"),
    path("events/<id:event_id>", views.EventDetailView.as_view(), name="event-detail"),
    path("events/<id:event_id>/seats", views.EventSeatListView.as_view(), name="event-seats"),
    path("admin/events", views.AdminEventCreateView.as_view(), name="admin-event-create"),
    path("admin/events/<id:event_id>", views.AdminEventDetailView.as_view(), name="admin-event-detail"),
    path(
        "admin/events/<id:event_id>/deactivate",
        views.AdminEventDeactivateView.as_view(),
        name="admin-event-deactivate",
    ),
    path(
        "admin/events/<id:event_id>/seats/generate",
        views.AdminSeatGenerateView.as_view(),
        name="admin-seat-generate",
    ),
]
