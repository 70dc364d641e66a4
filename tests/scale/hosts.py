"""App hosts on loopback (gunicorn subprocesses) and a small cookie-keeping HTTP client for them.

Used by the multi-host tests and by the benchmark's load test. Standard library only.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def host_environment(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a production-like host: shared database and secret, plain HTTP on loopback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "INCLUSION_"))}
    env.update(
        {
            "INCLUSION_ENV": "production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "shared-secret-for-every-host-of-this-alliance",
            "SESSION_COOKIE_SECURE": "0",  # loopback is plain HTTP; production keeps the default (on)
            "REQUIRE_TWO_FACTOR": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(settings)
    return env


@dataclass
class Host:
    """One app host: gunicorn with `workers` workers on a loopback port."""

    env: dict[str, str]
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def start(self, timeout: float = 60) -> "Host":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "inclusion:create_app()",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)  # noqa: S603
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} exited with {self.process.returncode}")
            try:
                if Browser(self).get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn on port {self.port} did not answer within {timeout} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def csrf_token(self) -> str:
        match = _CSRF.search(self.text)
        return (match.group(1) or match.group(2)) if match else ""


class Browser:
    """Keeps cookies like a browser; one keep-alive connection per host; never follows redirects."""

    def __init__(self, host: Host, cookies: dict[str, str] | None = None):
        self.host = host
        self.cookies = cookies if cookies is not None else {}
        self._connection: http.client.HTTPConnection | None = None

    def on(self, other: Host) -> "Browser":
        """The same browser (the same cookies) talking to another host."""
        return Browser(other, self.cookies)

    def get(self, path: str) -> Response:
        return self._request("GET", path)

    def post(self, path: str, data: dict | list[tuple[str, str]]) -> Response:
        return self._request(
            "POST", path, urlencode(data, doseq=True), {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def submit(self, path: str, data: dict) -> Response:
        """GET the form for its CSRF token, then POST `data` with it."""
        token = self.get(path).csrf_token()
        return self.post(path, {**data, "csrf_token": token})

    def sign_in(self, email: str, password: str) -> Response:
        return self.submit("/login", {"email": email, "password": password})

    def close(self) -> None:
        if self._connection:
            self._connection.close()
            self._connection = None

    def _request(self, method: str, path: str, body: str | None = None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        for attempt in range(2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(*self.host.address, timeout=60)
            try:
                self._connection.request(method, path, body=body, headers=headers)
                raw = self._connection.getresponse()
                text = raw.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # the server closed an idle keep-alive connection: reconnect once
                if attempt:
                    raise
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "expires=thu, 01 jan 1970" in value.lower() or not cookie_value:
                    self.cookies.pop(cookie_name, None)
                else:
                    self.cookies[cookie_name] = cookie_value
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)
