from __future__ import annotations

from rest_framework import serializers

from evently.api.fields import UTCDateTimeField


class RefreshQuerySerializer(serializers.Serializer):
    """`?refresh=1` or `true` recomputes; `0`/`false` (or nothing) may use the cache."""

    refresh = serializers.BooleanField(required=False, default=False)


class TotalsSerializer(serializers.Serializer):
    events = serializers.IntegerField()
    active_events = serializers.IntegerField()
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()
    utilization_pct = serializers.FloatField()
    waitlisted = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    checked_in = serializers.IntegerField(help_text="tickets admitted at the doors")


class EventRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    venue = serializers.CharField()
    start_time = UTCDateTimeField()
    end_time = UTCDateTimeField()
    capacity = serializers.IntegerField()
    booked_count = serializers.IntegerField()
    utilization_pct = serializers.FloatField()
    status = serializers.CharField()
    waitlisted_count = serializers.IntegerField()
    checked_in_count = serializers.IntegerField(help_text="tickets of the event admitted at the doors")


class DayCountSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()


class TimeseriesSerializer(serializers.Serializer):
    bookings = DayCountSerializer(many=True)
    cancellations = DayCountSerializer(many=True)


class SummarySerializer(serializers.Serializer):
    generated_at = UTCDateTimeField()
    totals = TotalsSerializer()
    events = EventRowSerializer(many=True)
    top_events = EventRowSerializer(many=True)
    timeseries_7d = TimeseriesSerializer()


class HomepageSerializer(serializers.Serializer):
    total_events = serializers.IntegerField()
    total_tickets_sold = serializers.IntegerField()
    total_customers = serializers.IntegerField()
    cities_covered = serializers.IntegerField()
