"""Staff console for accounts. Every change goes through `user_update` (last-admin rule under
the admin lock, email folding, invalidation); accounts are never deleted here, since deleting
a user would delete their bookings behind the inventory's back (deactivate instead)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from accounts import services
from accounts.exceptions import EmailAlreadyRegistered, LastAdmin
from accounts.models import User
from accounts.validators import validate_account_email
from evently.admin import ServiceBackedAdmin


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "email", "role", "is_active"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        validate_account_email(email)
        try:
            services.user_check_email_free(email=email, user_id=self.instance.pk)
        except EmailAlreadyRegistered as exc:
            raise forms.ValidationError(exc.detail) from None
        return email

    def clean(self) -> dict[str, Any]:
        """The last-admin rule as a form error (checked again under the lock on save)."""
        data = super().clean()
        if self.instance.pk and data.get("role") is not None:
            try:
                services.user_check_keeps_an_admin(
                    user_id=self.instance.pk, role=data["role"], is_active=bool(data.get("is_active"))
                )
            except LastAdmin as exc:
                self.add_error("role" if data["role"] != User.Role.ADMIN else "is_active", exc.detail)
        return data


@admin.register(User)
class UserAdmin(ServiceBackedAdmin):
    form = UserChangeForm
    list_display = ["id", "email", "name", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "name"]
    ordering = ["id"]
    readonly_fields = ["created_at"]
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are created by signup, POST /admin/users or promote_admin

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_through_service(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        """All changed fields in one service call: a refusal saves none of them."""
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        if changes:
            services.user_update(user_id=obj.pk, **changes)


# Rights come from User.role alone (is_staff/is_superuser are derived from it): Django's
# groups and permissions are not used, so their console page is not offered.
admin.site.unregister(Group)
