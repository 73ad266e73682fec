"""Serves the single-page app built into frontend/dist (assets via whitenoise at /static/app/).

Every `/app/...` route answers with the app's index.html so deep links survive a reload; a
path whose last segment looks like a file (`/app/assets/old.js`, `/app/favicon.ico`) is a 404,
so a stale or mistyped asset URL fails as such instead of loading HTML as a script.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from evently.api.views import json_method_not_allowed, json_not_found

# The app's routes are words and ids; a last segment with an extension is a file.
_FILE_LIKE = re.compile(r"(?:^|/)[^/]*\.[A-Za-z0-9]{1,8}$")


# Both views change nothing: CSRF is exempt so that any other method gets the JSON 405
# rather than CSRF's HTML 403.
@csrf_exempt
def spa_index(request: HttpRequest, route: str = "") -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return json_method_not_allowed()
    if _FILE_LIKE.search(route or ""):
        return json_not_found(request)
    index = settings.FRONTEND_DIST / "index.html"
    if not index.is_file():
        return JsonResponse(
            {"detail": "The web app is not built: run `make run` (or `make frontend`)."},
            status=404,
        )
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@csrf_exempt
def root_redirect(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return json_method_not_allowed()
    return HttpResponseRedirect("/app/")


urlpatterns = [
    path("", root_redirect, name="root"),
    re_path(r"^app(?:/(?P<route>.*))?$", spa_index, name="spa"),
]
