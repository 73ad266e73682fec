from django.urls import path

from accounts.api import password_reset, views

urlpatterns = [
    path("auth/signup", views.SignupView.as_view(), name="auth-signup"),
    path("auth/login", views.LoginView.as_view(), name="auth-login"),
    path("auth/password-reset", password_reset.PasswordResetRequestView.as_view(), name="auth-password-reset"),
    path(
        "auth/password-reset/confirm",
        password_reset.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("auth/me", views.MeView.as_view(), name="auth-me"),
    path("admin/users", views.AdminUserListCreateView.as_view(), name="admin-users"),
    path("admin/users/<id:user_id>/role", views.AdminUserRoleView.as_view(), name="admin-user-role"),
]
