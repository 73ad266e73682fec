from django.urls import path

from analytics.api import views

urlpatterns = [
    path("admin/analytics/summary", views.AnalyticsSummaryView.as_view(), name="analytics-summary"),
    path("stats/homepage", views.HomepageStatsView.as_view(), name="stats-homepage"),
]
