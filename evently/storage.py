from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, and never a 500 for a missing one.

    A server started without `collectstatic` (a fresh checkout, a one-off `manage.py`
    process, a test server) renders its pages with unhashed asset names instead of failing
    every page that links a stylesheet: not strict about the manifest, and a file that is
    not collected keeps its plain name.
    """

    manifest_strict = False

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:  # not collected: "The file … could not be found"
            return name
