from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; not strict, so a process started without
    `collectstatic` (tests, one-off `manage.py` commands) still renders pages."""

    manifest_strict = False
