"""`python -m evently.envfile [PATH]`: make sure `.env` has a JWT_SECRET.

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
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    if ensure_jwt_secret(target):
        print(f"Wrote a random JWT_SECRET to {target}")
