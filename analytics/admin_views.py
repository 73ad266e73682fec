"""The staff console's analytics page (same cached summary as the API)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from analytics import selectors
from evently.cache import ANALYTICS, cached


def analytics_dashboard(request: HttpRequest) -> HttpResponse:
    refresh = request.GET.get("refresh") in ("1", "true")
    summary, hit = cached(ANALYTICS, "summary", selectors.analytics_summary, refresh=refresh)
    series = summary["timeseries_7d"]
    peak = max([d["count"] for d in series["bookings"] + series["cancellations"]] + [1])
    days = [
        {
            "date": b["date"],
            "bookings": b["count"],
            "cancellations": c["count"],
            "bookings_pct": round(100 * b["count"] / peak),
            "cancellations_pct": round(100 * c["count"] / peak),
        }
        for b, c in zip(series["bookings"], series["cancellations"], strict=True)
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Analytics",
        "summary": summary,
        "days": days,
        "cache_hit": hit,
    }
    return TemplateResponse(request, "admin/analytics.html", context)
