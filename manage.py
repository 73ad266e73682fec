#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evently.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except (ImproperlyConfigured, OperationalError) as exc:
        # A setting the operator got wrong, or a database that is not there: one line naming
        # it, not a traceback through Django (--traceback shows it).
        if "--traceback" in sys.argv:
            raise
        kind = "Configuration error" if isinstance(exc, ImproperlyConfigured) else "Database error"
        sys.exit(f"{kind}: {' '.join(str(exc).split())}")


if __name__ == "__main__":
    main()
