"""``coder serve`` in a real browser (Debian's Chromium, headless, driven by selenium).

The browser opens the printed link, a coder types a name with æøå, opens the transcript and
presses a code's hotkey; the coding must then be in the database. Every request the browser
makes is listed (Chrome's network log) and must go to the server itself. A screenshot at a
fixed size is kept: under $CODER_ARTEFACTS when set (CI prints the folder), else tmp_path.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from serve_runner import Served, serve

from support.waiting import poll_until

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH, HEIGHT = 1280, 720
NAME = "Åse Ødegård"
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI (.ci/run installs chromium and chromium-driver)")
    pytest.skip(f"{what} is not installed")


class Browser:
    """Headless Chromium; collects the requests it makes and the screen text it receives."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless=new",
            "--no-sandbox",  # CI runs as root
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--enable-unsafe-swiftshader",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--window-size={WIDTH},{HEIGHT}",
        ):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        self.requests: list[str] = []
        self.received = ""
        self.frames = 0

    def poll(self) -> None:
        """Read Chrome's network log: requests made, websocket frames received."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method, params = message["method"], message.get("params", {})
            if method == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
            elif method == "Network.webSocketCreated":
                self.requests.append(params["url"])
            elif method == "Network.webSocketFrameReceived":
                response = params["response"]
                if response["opcode"] == 2:
                    data = base64.b64decode(response["payloadData"])
                    self.received += data.decode("utf-8", "replace")
                    self.frames += 1

    def screen_text(self) -> str:
        """Everything the app has drawn so far, without escape sequences."""
        self.poll()
        return ANSI.sub("", self.received)

    def keys(self, *keys: str) -> None:
        """Type into the terminal (xterm's input element has the focus)."""
        from selenium.webdriver.common.action_chains import ActionChains

        self.driver.execute_script("document.querySelector('.xterm-helper-textarea').focus()")
        ActionChains(self.driver).send_keys(*keys).perform()

    def quit(self) -> None:
        self.driver.quit()


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not (Path(CHROMIUM).exists() and shutil.which("chromium")):
        _missing("Chromium (/usr/bin/chromium)")
    if not Path(CHROMEDRIVER).exists():
        _missing("chromedriver (/usr/bin/chromedriver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        _missing("selenium")
    opened = Browser()
    yield opened
    opened.quit()


def wait_for(check: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    """Poll ``check`` (the browser sends no event a test could wait on) until it is true."""
    return poll_until(check, what, timeout)


def _codings(folder: Path, coder: str) -> dict[str, int]:
    from coder.project.project import Project
    from coder.store.coder_view import coder_code_counts

    with Project.open(folder) as project:
        return coder_code_counts(project, coder)


def _coders(folder: Path) -> set[str]:
    from coder.project.project import Project
    from coder.store.queries import status

    with Project.open(folder) as project:
        return set(status(project)["coders"])


def _artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CODER_ARTEFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_code_an_excerpt_in_the_browser(
    small_project: Path, tmp_path: Path, browser: Browser
) -> None:
    from coder.project.project import Project

    with Project.open(small_project) as project:
        code = project.codebook.by_hotkey("1")
    assert code is not None
    with serve(small_project, tmp_path / "xdg") as served:
        browser.driver.get(served.link)
        wait_for(lambda: "Who is coding?" in browser.screen_text(), "the name dialog")
        browser.keys(NAME)
        wait_for(lambda: NAME in browser.screen_text(), "the name to be echoed")
        browser.keys("\ue007")  # Enter
        wait_for(lambda: NAME in _coders(small_project), "the coder in the database")
        wait_for(lambda: "Transcript" in browser.screen_text(), "the home screen")
        browser.keys("\ue007")  # open the transcript
        wait_for(lambda: "intervju 2/6" in browser.screen_text(), "the coding screen")
        assert _codings(small_project, NAME) == {}
        browser.keys("1")
        wait_for(lambda: _codings(small_project, NAME) == {code.id: 1}, "the coding in the DB")
        wait_for(lambda: "applied" in browser.screen_text(), "the screen to show it")
        shot = _artefacts(tmp_path) / "coder-serve-coding-screen.png"
        assert browser.driver.save_screenshot(str(shot))
        print(f"screenshot: {shot}")
        _only_same_host(browser, served)


def _only_same_host(browser: Browser, served: Served) -> None:
    """Every request went to the server; the expected ones are among them (not vacuous)."""
    browser.poll()
    host = urlsplit(served.base).netloc
    made = [url for url in browser.requests if not url.startswith("data:")]
    outside = [url for url in made if urlsplit(url).netloc != host]
    assert outside == [], f"requests to other hosts: {outside}"
    paths = {urlsplit(url).path for url in made}
    assert {"/", "/static/js/textual.js", "/static/css/xterm.css", "/ws"} <= paths, paths
    blocked = [
        entry["message"]
        for entry in browser.driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]
    assert blocked == [], blocked


def test_a_crafted_link_still_reaches_no_other_host(
    small_project: Path, tmp_path: Path, browser: Browser
) -> None:
    # textual-serve's script fetches the page's ?ping= URL before it connects: the policy
    # forbids it, so the browser refuses and nothing is sent to the other host
    console: list[str] = []

    def refused() -> bool:
        console.extend(entry["message"] for entry in browser.driver.get_log("browser"))
        return any("Content Security Policy" in line and "192.0.2.1" in line for line in console)

    with serve(small_project, tmp_path / "xdg") as served:
        browser.driver.get(served.link + "&ping=http://192.0.2.1/leak")
        wait_for(refused, "the browser to refuse the outside request")
        browser.poll()
        assert browser.requests, "the network log recorded nothing"
        assert [url for url in browser.requests if "192.0.2.1" in urlsplit(url).netloc] == []
