from django.contrib import admin
from django.urls import include, path

from analytics.admin_views import analytics_dashboard
from evently import converters  # noqa: F401  (registers the <id:...> converter used below)
from evently.api.views import HealthView, OpenAPIView, ReadyView, SwaggerView, metrics_view

admin.site.site_header = "Evently staff console"
admin.site.site_title = "Evently staff"
admin.site.index_title = "Run events"

urlpatterns = [
    path("healthz", HealthView.as_view(), name="healthz"),
    path("readyz", ReadyView.as_view(), name="readyz"),
    path("metrics", metrics_view, name="prometheus-django-metrics"),
    path("openapi.json", OpenAPIView.as_view(), name="openapi"),
    path("docs", SwaggerView.as_view(url_name="openapi"), name="docs"),
    path("staff/analytics/", admin.site.admin_view(analytics_dashboard), name="staff-analytics"),
    path("staff/", admin.site.urls),
    path("", include("accounts.api.urls")),
    path("", include("events.api.urls")),
    path("", include("bookings.api.urls")),
    path("", include("analytics.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("evently.spa")),
]

handler400 = "evently.api.views.json_bad_request"
handler403 = "evently.api.views.json_permission_denied"
handler404 = "evently.api.views.json_not_found"
handler500 = "evently.api.views.json_server_error"
