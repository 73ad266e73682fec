"""The staff console's site: Django's admin, with its login form rate-limited like
POST /auth/login (same group "login", rate RATELIMIT_LOGIN, per client IP through
evently.client_ip). Installed as "evently.staff.StaffAdminConfig" instead of
"django.contrib.admin", so `admin.site` is this site everywhere."""

from __future__ import annotations

import functools
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django_ratelimit import UNSAFE
from django_ratelimit.core import get_usage

from evently import metrics
from evently.errors import DomainError

LOGIN_GROUP = "login"


def login_attempt_refused(request: HttpRequest) -> int | None:
    """Count one login attempt of this client against the login limit. Returns the seconds
    until the window resets when the attempt is over the limit, else None (also when rate
    limits are off or the cache is unreachable: they fail open)."""
    usage = get_usage(
        request,
        group=LOGIN_GROUP,
        key="ip",
        rate=lambda _group, _request: settings.RATELIMIT_LOGIN or None,
        # The same methods as POST /auth/login's limit (evently.api.ratelimit): django-ratelimit
        # keys its counters by them, and both logins must share one counter.
        method=UNSAFE,
        increment=True,
    )
    if usage and usage["should_limit"]:
        metrics.RATE_LIMIT_REJECTIONS.labels(group=LOGIN_GROUP).inc()
        return max(1, int(usage["time_left"]))
    return None


def _has_nul(request: HttpRequest) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())


@functools.cache
def service_password_change_view() -> Any:
    """Django's password change view, whose save a service may refuse (a DomainError: the
    password was changed meanwhile, say): the page again with the refusal as a form error,
    never a 500 and never a renewed session. (Built on first use: auth's views cannot be
    imported while the apps load, and this module is the admin app's site.)"""
    from django.contrib.auth.views import PasswordChangeView

    class ServicePasswordChangeView(PasswordChangeView):
        def form_valid(self, form: Any) -> HttpResponse:
            try:
                return super().form_valid(form)
            except DomainError as exc:
                # On the old password: Django's page shows no form-wide errors, and the old
                # password is what no longer holds.
                form.add_error("old_password" if "old_password" in form.fields else None, exc.detail)
                return self.form_invalid(form)

    return ServicePasswordChangeView


class StaffSite(admin.AdminSite):
    # The form of the console's own "Change password" page; None is Django's. The accounts
    # app sets its own (the new password goes through its service, which ends older tokens).
    password_change_form: type | None = None

    def password_change(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Django's page, with `password_change_form` when one is set."""
        if self.password_change_form is None:
            return super().password_change(request, extra_context)
        from django.urls import reverse

        request.current_app = self.name
        return service_password_change_view().as_view(
            form_class=self.password_change_form,
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
            **({"template_name": self.password_change_template} if self.password_change_template else {}),
        )(request)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        """Every console page: a NUL character in the query string (PostgreSQL cannot even
        compare one) is a bad filter: Django's redirect to `?e=1` on the same page."""
        protected = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if _has_nul(request):
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            return protected(request, *args, **kwargs)

        return update_wrapper(inner, protected)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method != "POST":
            return super().login(request, extra_context)
        retry_after = login_attempt_refused(request)
        if retry_after is None:
            return super().login(request, extra_context)
        # The login page again, with the refusal instead of a password check.
        messages.error(request, f"Too many login attempts. Try again in {retry_after} seconds.")
        request.method = "GET"
        response = super().login(request, extra_context)
        response.status_code = 429
        response["Retry-After"] = str(retry_after)
        return response


class StaffAdminConfig(AdminConfig):
    default_site = "evently.staff.StaffSite"
