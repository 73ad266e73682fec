"""Shared staff-console pieces."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from evently.converters import is_row_id
from evently.errors import DomainError
from evently import text_search  # noqa: F401  (registers the search fields' `folded_contains`)

_REFUSED = "_evently_service_refused"

# How a date or time field's prefill from the URL is read (looked up by the field's exact class).
_PREFILL_PARSERS = {
    models.DateTimeField: parse_datetime,
    models.DateField: parse_date,
    models.TimeField: parse_time,
}


def _model_field(model: type[Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class ConsoleModelAdmin(admin.ModelAdmin):
    """Every console ModelAdmin: a changelist whose filters, search, ordering or page number
    cannot be turned into a query (a year past datetime's range, a number too large for the
    database) gets Django's answer to a bad filter, the redirect to `?e=1`, not a 500.
    (NUL characters never get this far: StaffSite refuses them for every console page.)"""

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError, TypeError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """Django prefills an add form from its query string (`?name=Gig`), as text. A date
        or time field's widget cannot show text (AttributeError, a 500): such a value is
        parsed (`?start_time=2031-05-01T19:30`, shown as typed) or, when it is no date or
        time, left out."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            parse = _PREFILL_PARSERS.get(type(_model_field(self.model, name)))
            if parse is None or not isinstance(value, str):
                continue
            try:
                parsed = parse(value.strip())
                if isinstance(parsed, datetime) and timezone.is_aware(parsed):
                    # As the widget would show it (in the console's zone), here where a
                    # year the conversion leaves (0001-01-01T00:00+05:00) can be caught.
                    parsed = timezone.make_naive(parsed)
            except (ValueError, OverflowError):  # well formed but impossible: 2031-13-45
                parsed = None
            if parsed is None:
                del initial[name]
            else:
                initial[name] = parsed
        return initial

    def log_console_action(self, request: HttpRequest, obj: Model, what: str) -> None:
        """A row's history entry for an action that changed it through a service ("Cancelled",
        "Checked in"): who did it and when, on the row's history page as for a form's save.
        Django logs only its own forms and deletions."""
        admin.ModelAdmin.log_change(self, request, obj, f"{what} (staff console action)")

    def response_action(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        """An action posted with a selected id that no row can have (`abc`, a NUL, a number
        past the database's integers: a hand-made post) does nothing and says so, instead of
        a 500 when the selection is read."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_row_id(value) for value in selected):
            self.message_user(request, "Not done: the selection names no rows of this list.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


class ReadOnlyConsoleMixin:
    """Rows the console lists and shows but never adds, edits or deletes by form (viewing
    stays allowed: has_view_permission); what staff may change is an action calling a
    service."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceBackedAdmin(ConsoleModelAdmin):
    """A ModelAdmin whose writes go through domain services.

    Django runs the change and delete views in one transaction; the services nest inside it
    (plain `transaction.atomic()`, their own locks). A service that refuses (DomainError)
    makes the whole view a refusal: its transaction is rolled back (nothing of the form is
    saved, no log entry), the error is shown, and the success message is not.

    Subclasses write through `save_through_service` / `delete_through_service`.
    """

    def save_through_service(
        self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)

    def delete_through_service(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)

    def refuse(self, request: HttpRequest, exc: DomainError, verb: str = "Not saved") -> None:
        """Roll back the view's transaction and report the refusal instead of a success."""
        transaction.set_rollback(True, using=router.db_for_write(self.model))
        setattr(request, _REFUSED, True)
        self.message_user(request, f"{verb}: {exc.detail}", messages.ERROR)

    @staticmethod
    def refused(request: HttpRequest) -> bool:
        return getattr(request, _REFUSED, False)

    def save_model(self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool) -> None:
        try:
            self.save_through_service(request, obj, form, change)
        except DomainError as exc:
            self.refuse(request, exc)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        shown = copy.copy(obj)  # Model.delete() clears the instance's pk
        try:
            self.delete_through_service(request, obj)
        except DomainError as exc:
            self.refuse(request, exc, "Not deleted")
        else:
            self.log_deleted(request, shown)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        """Django logs every row as deleted before deleting any (its bulk delete action does
        not roll that back), so a row the service then refuses kept a "Deleted" entry in its
        history. Rows are logged once deleted: `delete_model`, `run_each(deleting=True)`."""
        return None

    def log_deleted(self, request: HttpRequest, obj: Model) -> None:
        """The history entry of a row a service has just deleted (Django's own deletion entry)."""
        admin.ModelAdmin.log_deletions(self, request, [obj])

    # After a refusal the transaction is marked for rollback (no more queries in it): skip
    # the log entry and answer with the page again instead of a success.
    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        return None if self.refused(request) else super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        return None if self.refused(request) else super().log_change(request, obj, message)

    def response_add(self, request: HttpRequest, obj: Model, post_url_continue: str | None = None) -> HttpResponse:
        if self.refused(request):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Model) -> HttpResponse:
        if self.refused(request):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id: Any) -> HttpResponse:
        if self.refused(request):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_delete(request, obj_display, obj_id)

    def message_user(self, request: HttpRequest, message: str, level: int = messages.INFO, *args: Any, **kwargs: Any) -> None:
        if self.refused(request) and level == messages.SUCCESS:
            return  # e.g. the bulk delete's "Successfully deleted N" after a refusal
        super().message_user(request, message, level, *args, **kwargs)

    def run_each(
        self, request: HttpRequest, queryset: QuerySet[Any], action: Any, verb: str, deleting: bool = False
    ) -> None:
        """A bulk action: `action(obj)` per object, each its own service call; reports how
        many succeeded and each refusal (and then no blanket success message). Each success
        goes into its row's history (`deleting`: as Django's deletion entry)."""
        done, failed = 0, []
        for obj in queryset:
            try:
                after = action(obj)
                done += 1
            except DomainError as exc:
                failed.append(f"{obj}: {exc.detail}")
                continue
            if deleting:
                self.log_deleted(request, obj)
            else:  # named as the service left it (an event deactivated says "inactive")
                self.log_console_action(request, after if isinstance(after, type(obj)) else obj, verb)
        if done:
            messages.success(request, f"{verb} {done} {self.opts.verbose_name_plural}.")
        if failed:
            setattr(request, _REFUSED, True)
        for failure in failed:
            messages.error(request, failure)
