"""Staff console for accounts. Every change goes through `user_update` (last-admin rule under
the admin lock, email folding, invalidation); accounts are never deleted here, since deleting
a user would delete their bookings behind the inventory's back (deactivate instead)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.http import HttpRequest

from accounts import services
from accounts.exceptions import EmailAlreadyRegistered, LastAdmin
from accounts.models import User
from accounts.validators import validate_account_email
from evently.admin import ServiceBackedAdmin
from evently.text import strip_invisible


FORM_FIELDS = ["name", "email", "role", "is_active"]


class UserChangeForm(forms.ModelForm):
    # The account's fields as the page showed them (JSON). The form posts back every field,
    # edited or not: saved over a change someone made since (a role, a deactivation through
    # the API), it silently undid it. `user_update` compares them under its lock.
    shown_values = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = User
        fields = FORM_FIELDS
        help_texts = {
            "is_active": "Unticked, the account cannot log in, and its waitlist places are cancelled "
            "(ticking it again restores none). Its confirmed bookings stay.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            shown = {field: getattr(self.instance, field) for field in FORM_FIELDS}
            self.initial["shown_values"] = json.dumps(shown, ensure_ascii=False)

    def clean_shown_values(self) -> dict[str, Any] | None:
        """The values the page showed; None for a post without them (a page from before they
        were carried): such a save is not checked."""
        text = self.cleaned_data["shown_values"]
        if not text:
            return None
        try:
            shown = json.loads(text)
        except ValueError:
            shown = None
        if not isinstance(shown, dict) or set(shown) - set(FORM_FIELDS):
            raise forms.ValidationError("The page is damaged: reload it.")
        return shown

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not strip_invisible(name):  # blank as in the API: nothing visible is no name
            raise forms.ValidationError("This field may not be blank.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if "email" in self.changed_data:  # an address from before a rule does not block other changes
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
    search_fields = ["email__folded_contains", "name__folded_contains"]  # as the API folds case
    ordering = ["id"]
    readonly_fields = ["created_at"]
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are created by signup, POST /admin/users or promote_admin

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # Columns no filter may query: `?password__startswith=argon2$...` answered yes or no, one
    # character of any account's hash at a time.
    SECRET_FIELDS = ("password", "email_folded", "tokens_valid_after")

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if lookup.split("__", 1)[0] in self.SECRET_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def save_through_service(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        """All changed fields in one service call: a refusal saves none of them."""
        changes = {field: form.cleaned_data[field] for field in form.changed_data if field in FORM_FIELDS}
        if changes:
            services.user_update(user_id=obj.pk, shown=form.cleaned_data.get("shown_values"), **changes)


def unregister_groups() -> None:
    """Rights come from User.role alone (is_staff/is_superuser are derived from it): Django's
    groups and permissions are not used, so their console page is not offered. Called from
    AccountsConfig.ready(): this app comes before django.contrib.auth (its commands replace
    auth's), so auth's admin module registers Group after this one is imported."""
    if admin.site.is_registered(Group):
        admin.site.unregister(Group)


class ConsolePasswordChangeForm(AdminPasswordChangeForm):
    """The console's own "Change password": Django's checks (old password, the two new
    ones, the password policy), saved through `user_change_password`, which ends the access
    tokens issued before the change."""

    def save(self, commit: bool = True) -> User:
        return services.user_change_password(user=self.user, password=self.cleaned_data["new_password1"])


admin.site.password_change_form = ConsolePasswordChangeForm
