#!/usr/bin/env python3
"""The two commands of README.md, needing nothing but Python 3.11+.

    python3 run.py demo    install, migrate, load the demo district, serve the admin
    python3 run.py test    install, run the whole test suite (extra arguments go to pytest)
    python3 run.py screenshots   run the browser tests and refresh the README's pictures

Both create ``.venv`` beside this file on first use and reinstall only when requirements.txt
changes.
"""

import hashlib
import os
import secrets
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"

DEMO_HOST = os.environ.get("DEMO_HOST", "127.0.0.1")
DEMO_PORT = os.environ.get("DEMO_PORT", "8000")
DEMO_USER = "admin"
DEMO_PASSWORD = "quyhoach-demo"


def run(*args: str, env: dict | None = None) -> None:
    subprocess.run(args, cwd=ROOT, check=True, env=env)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - must explain itself to an older Python
        sys.exit("Cần Python 3.11 trở lên (Python 3.11+ required).")
    if not PYTHON.exists():
        print("Tạo môi trường ảo .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print("Cài đặt thư viện (requirements.txt) ...", flush=True)
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS))
        STAMP.write_text(digest)


def ensure_local_secret_key() -> None:
    """A key for this checkout only, kept in .secret_key (config/settings.py reads it)."""
    path = ROOT / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)


def demo() -> None:
    ensure_local_secret_key()
    # Background tasks run inside the request: no worker to start, and SQLite's single write
    # lock is never held by a worker while the admin saves (production runs db_worker).
    env = {**os.environ, "DEBUG": "true"}
    env.setdefault("TASKS_BACKEND", "immediate")
    manage = [str(PYTHON), "manage.py"]
    run(*manage, "migrate", "--no-input", env=env)
    run(
        *manage,
        "load_demo",
        "--admin-username",
        DEMO_USER,
        "--admin-password",
        DEMO_PASSWORD,
        env=env,
    )
    url = f"http://{DEMO_HOST}:{DEMO_PORT}/admin/"
    print(
        f"\n  Quy hoạch đang chạy: {url}\n"
        f"  Đăng nhập: {DEMO_USER} / {DEMO_PASSWORD}\n"
        "  (các vai trò khác, cùng mật khẩu: can_bo_xa, chuyen_vien, thanh_tra)\n"
        "  (Ctrl+C để dừng)\n",
        flush=True,
    )
    run(*manage, "runserver", "--noreload", f"{DEMO_HOST}:{DEMO_PORT}", env=env)


def test(args: list[str]) -> None:
    # Browser tests need Chromium (apt-get install chromium); without it they are skipped
    # unless REQUIRE_BROWSER is set, as .ci/run does. Tests run on every core (pytest-xdist)
    # unless the arguments say otherwise ("-n 0" runs them in one process).
    parallel = [] if any(arg.startswith("-n") for arg in args) else ["-n", "auto"]
    run(str(PYTHON), "-m", "pytest", *parallel, *args)


def screenshots(args: list[str]) -> None:
    """The browser tests, writing the pictures README.md shows into docs/screenshots/ (every
    run writes all of them into the ignored tests/browser/screenshots/)."""
    env = {**os.environ, "README_SCREENSHOTS": "1", "REQUIRE_BROWSER": "1"}
    run(str(PYTHON), "-m", "pytest", "-n", "0", "-m", "browser", *args, env=env)


COMMANDS = {"demo": lambda rest: demo(), "test": test, "screenshots": screenshots}


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    if command not in COMMANDS:
        sys.exit(__doc__)
    ensure_venv()
    try:
        COMMANDS[command](rest)
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
