"""`python -m evently.envfile [PATH]`: make sure the `.env` the settings read (PATH, else
EVENTLY_ENV_FILE, else the project's `.env`) has a JWT_SECRET.

Run by `make run` before anything imports the settings (which refuse to start without a
secret), so a newcomer needs no extra step and tokens survive restarts.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
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
    _write_private(path, "\n".join(lines) + "\n")
    return True


def _write_private(path: Path, text: str) -> None:
    """Replace `path` (a symlink's target) with a new file holding `text` that only its owner
    can open from the start. Writing into the existing file and tightening it afterwards left
    the secret readable in between, and to anyone who had opened it before (`make run`'s
    copy of .env.example is 0644): permissions are checked when a file is opened."""
    target = path.resolve()
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as file:  # mkstemp creates it 0600
            file.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    # Without an argument: the file the settings will read (EVENTLY_ENV_FILE, else the
    # project's .env); none when EVENTLY_ENV_FILE is empty (the environment must then hold it).
    from evently.config import env_file

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else env_file(os.environ, base_dir=Path(__file__).resolve().parent.parent)
    if target is not None and not target.parent.is_dir():
        sys.exit(f"EVENTLY_ENV_FILE names {target}, in a folder that does not exist")
    if target is not None and ensure_jwt_secret(target):
        print(f"Wrote a random JWT_SECRET to {target}")
