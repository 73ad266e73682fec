"""Staff console for accounts. Role changes go through `user_set_role` (last-admin guard,
analytics invalidation); accounts are never deleted here, since deleting a user would delete
their bookings behind the inventory's back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from accounts import services
from accounts.models import User
from evently.admin import ServiceBackedAdmin
from evently.errors import DomainError


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "email", "role", "is_active"]


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

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        new_role = form.cleaned_data["role"]
        if "role" in form.changed_data:
            # Save everything else first, with the role as stored, then change the role
            # through the service that owns its rules.
            obj.role = User.objects.only("role").get(pk=obj.pk).role
            super().save_model(request, obj, form, change)
            try:
                services.user_set_role(user_id=obj.pk, role=new_role)
                obj.role = new_role
            except DomainError as exc:
                messages.error(request, f"Role not changed: {exc.detail}")
            return
        super().save_model(request, obj, form, change)
