"""Zones stored under the looser check of 0006's time (any file zoneinfo could open) become
IANA names: `posix/X` and `right/X` become `X`, anything else unknown (`localtime`,
`posixrules`) becomes UTC. What `events.models.zone_or_none` accepts from now on."""

from zoneinfo import available_timezones

from django.db import migrations


def to_iana_names(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    known = set(available_timezones()) - {"localtime"}
    stored = Event.objects.exclude(timezone__in=known).values_list("timezone", flat=True).distinct()
    for name in list(stored):
        base = name.split("/", 1)[1] if name.startswith(("posix/", "right/")) else ""
        Event.objects.filter(timezone=name).update(timezone=base if base in known else "UTC")


class Migration(migrations.Migration):
    dependencies = [("events", "0006_event_timezone")]

    operations = [migrations.RunPython(to_iana_names, migrations.RunPython.noop)]
