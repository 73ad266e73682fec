from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/signup", views.SignupView.as_view(), name="auth-signup"),
    path("auth/login", views.LoginView.as_view(), name="auth-login"),
    path("auth/me", views.MeView.as_view(), name="auth-me"),
    path("admin/users", views.AdminUserListCreateView.as_view(), name="admin-users"),
    path("admin/users/<id:user_id>/role", views.AdminUserRoleView.as_view(), name="admin-user-role"),
]
