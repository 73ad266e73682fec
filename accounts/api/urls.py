from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter(trailing_slash=False)
router.register("auth", views.AuthViewSet, basename="auth")
router.register("admin/users", views.AdminUserViewSet, basename="admin-user")

urlpatterns = router.urls
