from rest_framework.routers import SimpleRouter

from analytics.api import views

router = SimpleRouter(trailing_slash=False)
router.register("admin/analytics", views.AnalyticsViewSet, basename="analytics")
router.register("stats", views.StatsViewSet, basename="stats")

urlpatterns = router.urls
