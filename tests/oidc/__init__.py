"""A real OpenID Connect provider for the single sign-on tests: the certified ``oidc-provider``
package from npm (a devDependency in package.json), run by node from ``provider.mjs`` on a
free loopback port, and a person's browser at it (requests, following its redirects)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningProvider:
    def __init__(self, issuer: str, process: subprocess.Popen):
        self.issuer, self.process = issuer, process

    def entry(self, *, client_id: str = "prevent", **extra) -> dict:
        """An ``OIDC_PROVIDERS`` entry for this provider and one of its static clients."""
        return {
            "name": "Northbridge Council",
            "issuer": self.issuer,
            "client_id": client_id,
            "client_secret": f"{client_id}-secret",
            "domains": ["council.example"],
            "mfa_required": True,
            **extra,
        }

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_provider(*, redirect_uris: list[str], log_path: Path) -> RunningProvider:
    """Start the provider; the static clients accept ``redirect_uris``."""
    port = free_port()
    node = shutil.which("node")
    assert node, "node is needed for the OpenID provider (make install installs it)"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [node, str(HERE / "provider.mjs"), str(port), ",".join(redirect_uris)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text()
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return RunningProvider(issuer, process)
        except requests.ConnectionError:
            time.sleep(0.1)
    process.terminate()
    raise AssertionError(f"the OpenID provider did not start: {log_path.read_text()}")


def sign_in_at_provider(authorization_url: str, login: str, *, back_to: str) -> str:
    """What a person's browser does at the provider: follow its redirects, type ``login`` into
    its sign-in form, and return the URL it sends them back to (starting with ``back_to``)."""
    browser = requests.Session()
    url = authorization_url
    for _ in range(20):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "<form" in response.text:
            action = response.text.split('action="', 1)[1].split('"', 1)[0]
            response = browser.post(
                urljoin(url, action), data={"login": login}, allow_redirects=False, timeout=10
            )
        assert response.status_code in (302, 303), (response.status_code, response.text[:300])
        url = urljoin(url, response.headers["Location"])
        if url.startswith(back_to):
            return url
    raise AssertionError("the provider never sent the browser back")
