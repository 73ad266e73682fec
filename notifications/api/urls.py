from rest_framework.routers import SimpleRouter

from notifications.api.views import NotificationViewSet

router = SimpleRouter(trailing_slash=False)
router.register("me/notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
