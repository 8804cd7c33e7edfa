"""Shared by the client compatibility tests in tests/compat: starting one real `tessera
serve` process on a fresh data directory and a free loopback port, and small helpers.

The `server` fixture itself lives in conftest.py (one server per test module); the test
modules import the constants and helpers below.

Binary: `$TESSERA_BIN`, else `target/debug/tessera` under the repository root.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import string
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECS = 30
ADMIN_USER = "admin"
ADMIN_EMAIL = "admin@localhost"
MISSING_ISSUE_MESSAGE = "Issue does not exist or you do not have permission to see it."


@dataclass
class Server:
    url: str
    admin_password: str
    data_dir: Path
    binary: Path
    env: dict[str, str]
    stderr_path: Path


def tessera_binary() -> Path:
    """`$TESSERA_BIN` (relative to the working dir, else the repo root), or the debug build."""
    configured = os.environ.get("TESSERA_BIN")
    if not configured:
        return REPO_ROOT / "target" / "debug" / "tessera"
    path = Path(configured)
    if path.is_absolute() or path.exists():
        return path.resolve()
    return REPO_ROOT / path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 200) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as err:
        return f"<cannot read {path}: {err}>"
    return "\n".join(text.splitlines()[-lines:])


def rand_suffix(n: int = 8) -> str:
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=n))


def rand_project_key() -> str:
    """A valid Jira project key: an uppercase letter, then uppercase letters; 8 characters."""
    return random.choice(string.ascii_uppercase) + "".join(
        random.choices(string.ascii_uppercase, k=7)
    )


def run_server(tmp_path_factory, request):
    """Generator behind the module-scoped `server` fixture: starts the binary, yields a
    `Server`, stops it, and shows its stderr when a test of the module failed."""
    binary = tessera_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(
            f"Tessera binary not found or not executable: {binary}\n"
            "Build it with `cargo build --bin tessera`, or point TESSERA_BIN at a built binary.",
            pytrace=False,
        )

    data_dir = tmp_path_factory.mktemp("tessera-data")
    logs = tmp_path_factory.mktemp("tessera-logs")
    stdout_path, stderr_path = logs / "stdout.log", logs / "stderr.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    admin_password = secrets.token_urlsafe(18)

    # A developer's own TESSERA_* settings (base URL, data dir, ...) must not reach the server.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env["TESSERA_ADMIN_PASSWORD"] = admin_password
    env["NO_COLOR"] = "1"  # plain log lines in the stderr file shown on failure

    cmd = [str(binary), "serve", "--data-dir", str(data_dir), "--listen", f"127.0.0.1:{port}"]
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)

    try:
        wait_until_answering(proc, cmd, url, stderr_path)
    except BaseException:
        stop()
        raise

    failed_before = request.session.testsfailed
    try:
        yield Server(url, admin_password, data_dir, binary, env, stderr_path)
    finally:
        stop()
    if request.session.testsfailed > failed_before:
        show_server_log(request.config, stderr_path)


def wait_until_answering(
    proc: subprocess.Popen, cmd: list[str], url: str, stderr_path: Path
) -> None:
    """Polls `GET /rest/api/2/serverInfo` until a 200, the process exiting, or the deadline."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECS
    last_error = "no answer yet"
    while True:
        if proc.poll() is not None:
            pytest.fail(
                f"`{' '.join(cmd)}` exited with code {proc.returncode} before answering.\n"
                f"--- server stderr ---\n{tail(stderr_path)}",
                pytrace=False,
            )
        try:
            resp = requests.get(f"{url}/rest/api/2/serverInfo", timeout=2)
            if resp.status_code == 200:
                return
            last_error = f"HTTP {resp.status_code}: {resp.text[:200]}"
        except requests.RequestException as err:
            last_error = str(err)
        if time.monotonic() > deadline:
            pytest.fail(
                f"Tessera did not answer GET /rest/api/2/serverInfo within {STARTUP_TIMEOUT_SECS}s "
                f"({last_error}).\n--- server stderr ---\n{tail(stderr_path)}",
                pytrace=False,
            )
        time.sleep(0.1)


def show_server_log(config, stderr_path: Path) -> None:
    """Writes the server's stderr to the terminal, past pytest's output capture."""
    text = f"(full log: {stderr_path})\n{tail(stderr_path)}"
    reporter = config.pluginmanager.getplugin("terminalreporter")
    capture = config.pluginmanager.getplugin("capturemanager")
    if reporter is None or capture is None:
        print(text)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_sep("-", "tessera server stderr (last 200 lines)")
        reporter.write_line(text)
