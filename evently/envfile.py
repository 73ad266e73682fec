"""`python -m evently.envfile [PATH]`: make sure the `.env` the settings read (PATH, else
EVENTLY_ENV_FILE, else the project's `.env`) has a JWT_SECRET.

Run by `make run` before anything imports the settings (which refuse to start without a
secret), so a newcomer needs no extra step and tokens survive restarts.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def ensure_jwt_secret(path: Path) -> bool:
    """Append a random JWT_SECRET to `path` unless the environment or the file has one.
    Returns True when it wrote one."""
    if os.environ.get("JWT_SECRET"):
        return False
    lines = path.read_text().splitlines() if path.exists() else []
    if any(line.strip().startswith("JWT_SECRET=") and line.split("=", 1)[1].strip() for line in lines):
        return False
    lines = [line for line in lines if not line.strip().startswith("JWT_SECRET=")]
    lines.append(f"JWT_SECRET={secrets.token_urlsafe(48)}")
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    # Without an argument: the file the settings will read (EVENTLY_ENV_FILE, else the
    # project's .env); none when EVENTLY_ENV_FILE is empty (the environment must then hold it).
    from evently.config import env_file

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else env_file(os.environ, base_dir=Path(__file__).resolve().parent.parent)
    if target is not None and not target.parent.is_dir():
        sys.exit(f"EVENTLY_ENV_FILE names {target}, in a folder that does not exist")
    if target is not None and ensure_jwt_secret(target):
        print(f"Wrote a random JWT_SECRET to {target}")
