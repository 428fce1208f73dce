"""Screenshots of web pages with a headless Chromium driven by Playwright (optional: the
application takes them only when asked, and only when Playwright and a browser are installed).

The page is a stranger's: it is opened with JavaScript off, service workers blocked and no
downloads, and every request it makes (the page itself, its styles and images) is first put to
the caller's URL guard — the same one the fetcher uses — so a page cannot make the browser
reach the local network. Redirects too: Playwright shows a route handler only the first URL of
a redirect chain and lets the browser follow the rest unseen, so the handler makes each request
itself without following redirects (`route.fetch(max_redirects=0)`), puts every `Location` to
the guard before asking for it, and hands the browser the final answer. A redirect of the page
itself is taken by navigating to its (checked) target, so the page keeps its own address and
its relative links. The picture is the top of the page at most `max_height` pixels tall, as a
PNG of at most `max_bytes`.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import urljoin, urlsplit

from PIL import Image, UnidentifiedImageError

from scrapers.urls import check_fetchable_url

if TYPE_CHECKING:
    from playwright.sync_api import (
        APIResponse,
        Browser,
        Page,
        Playwright,
        Request,
        Route,
    )
    from playwright.sync_api import Response as PlaywrightResponse

UrlGuard = Callable[[str], str | None]
T = TypeVar("T")
# What a page may load without the network.
LOCAL_SCHEMES = ("data:", "blob:", "about:")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
TO_GET = frozenset({301, 302, 303})  # a browser asks for these redirects' targets with GET
MAX_REDIRECTS = 5  # hops of one request (the fetcher's own default limit)
_AMBIGUOUS = re.compile(r"[\\\s\x00-\x1f\x7f]")  # backslashes, spaces, control characters


class ScreenshotError(Exception):
    """No screenshot: the browser could not start, the page did not load, or the picture is
    too large."""


class _RefusedError(Exception):
    """A request (or a redirect's target) the guard refuses."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url


class _MovedError(Exception):
    """The page itself redirects to `url` (checked): the camera navigates there instead."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@dataclass(frozen=True, slots=True)
class ScreenshotSettings:
    """Where the browser is and how much of a page it keeps; times are in seconds."""

    executable: str = "/usr/bin/chromium"
    width: int = 1280
    viewport_height: int = 900
    max_height: int = 6000
    timeout: float = 30.0
    max_bytes: int = 20 * 1024 * 1024
    user_agent: str | None = None


class PageCamera:
    """One browser for many screenshots (a media pass): `with PageCamera(...) as camera:
    camera.shoot(url)`. Playwright's synchronous API refuses a thread where an asyncio loop
    runs, so every call to it is made on the camera's own thread, whatever thread calls."""

    def __init__(self, settings: ScreenshotSettings, url_guard: UrlGuard | None = None) -> None:
        self.settings = settings
        self.url_guard = url_guard
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._thread: ThreadPoolExecutor | None = None
        self.refused: list[str] = []  # requests the guard refused, for the caller's log
        # What became of the page's own request in the current navigation.
        self._page_refused: _RefusedError | None = None
        self._page_moved: str | None = None

    def _call(self, fn: Callable[[], T]) -> T:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="page-camera")
        return self._thread.submit(fn).result()

    def __enter__(self) -> Self:
        try:
            return self._call(self._start)
        except BaseException:
            self.close()  # no __exit__ follows a failed __enter__
            raise

    def _start(self) -> Self:
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError as exc:
            raise ScreenshotError("Playwright is not installed") from exc
        if not os.access(self.settings.executable, os.X_OK):
            raise ScreenshotError(f"no browser at {self.settings.executable}")
        args = ["--headless", "--disable-gpu", "--no-first-run", "--disable-quic",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium will not start its sandbox as root
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=self.settings.executable, args=args, headless=True,
                timeout=self.settings.timeout * 1000)
        except Error as exc:
            raise ScreenshotError(f"the browser did not start: {exc.message}") from exc
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser and Playwright's driver, and the camera's thread."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        try:
            thread.submit(self._stop).result()
        finally:
            thread.shutdown()

    def _stop(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()

    def _refusal(self, url: str) -> str | None:
        """Why the browser may not ask for `url` (not http or https, or the guard refuses it);
        None when it may."""
        if not url.startswith(("http://", "https://")):
            return "only http and https are fetched"
        # A browser and Python split some URLs differently (http://127.0.0.1:80\\@x.example/
        # is x.example to urlsplit and 127.0.0.1 to Chromium): a target that could be read
        # two ways is refused rather than guarded by the reading the browser does not use.
        if _AMBIGUOUS.search(url) or "@" in urlsplit(url).netloc:
            return "an address a browser could read otherwise (backslash, user, space)"
        problem = check_fetchable_url(url)
        if problem is not None:
            return problem
        return self.url_guard(url) if self.url_guard is not None else None

    def _route(self, route: Route, request: Request) -> None:
        from playwright.sync_api import Error

        if request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
            return
        page_itself = request.is_navigation_request() and request.frame.parent_frame is None
        try:
            answer = self._fetch(route, request.url, page_itself=page_itself)
        except _RefusedError as refused:
            self.refused.append(refused.url)
            if page_itself:
                self._page_refused = refused
            route.abort("blockedbyclient")
        except _MovedError as moved:
            self._page_moved = moved.url
            route.abort("aborted")
        except (Error, ScreenshotError):
            route.abort("failed")
        else:
            route.fulfill(response=answer)

    def _fetch(self, route: Route, url: str, *, page_itself: bool) -> APIResponse:
        """Make the browser's request without following redirects: every hop's target is put
        to the guard first (raises _RefusedError). A redirect of the page itself raises _MovedError
        with its target; a page's other requests get the chain's final answer."""
        current, method = url, None
        for _hop in range(MAX_REDIRECTS + 1):
            reason = self._refusal(current)
            if reason is not None:
                raise _RefusedError(current, reason)
            answer = route.fetch(url=current, method=method, max_redirects=0,
                                 timeout=self.settings.timeout * 1000)
            location = answer.headers.get("location")
            if answer.status not in REDIRECTS or not location:
                return answer
            target = urljoin(current, location)
            if page_itself:
                reason = self._refusal(target)
                if reason is not None:
                    raise _RefusedError(target, reason)
                raise _MovedError(target)
            current = target
            if answer.status in TO_GET:
                method = "GET"
        raise ScreenshotError(f"more than {MAX_REDIRECTS} redirects from {url}")

    def shoot(self, url: str) -> bytes:
        """A PNG of the page at `url` as the browser draws it, at most `max_height` tall.
        Raises ScreenshotError."""
        return self._call(lambda: self._shoot(url))

    def _shoot(self, url: str) -> bytes:
        from playwright.sync_api import Error

        if self._browser is None:
            raise ScreenshotError("the browser is not running")
        s = self.settings
        options: dict[str, Any] = {
            "viewport": {"width": s.width, "height": s.viewport_height},
            "java_script_enabled": False, "service_workers": "block",
            "accept_downloads": False, "ignore_https_errors": False,
        }
        if s.user_agent:
            options["user_agent"] = s.user_agent
        context = self._browser.new_context(**options)
        try:
            context.route("**/*", self._route)
            page = context.new_page()
            response = self._open(page, url)
            if response is None or not response.ok:
                status = response.status if response is not None else "no answer"
                raise ScreenshotError(f"the page answered {status}")
            picture = page.screenshot(full_page=True, type="png", timeout=s.timeout * 1000,
                                      animations="disabled")
        except Error as exc:
            raise ScreenshotError(f"the page did not load: {exc.message}") from exc
        finally:
            context.close()
        return limit_picture(picture, s.max_height, s.max_bytes)

    def _open(self, page: Page, url: str) -> PlaywrightResponse | None:
        """Navigate to `url`, and to where it redirects (each target checked by `_route`);
        ScreenshotError when the guard refuses the page or one of its redirects."""
        from playwright.sync_api import Error

        for _hop in range(MAX_REDIRECTS + 1):
            self._page_refused, self._page_moved = None, None
            try:
                return page.goto(url, wait_until="load", timeout=self.settings.timeout * 1000)
            except Error:
                if self._page_refused is not None:
                    raise ScreenshotError(
                        f"the browser may not open {self._page_refused}") from None
                if self._page_moved is None:
                    raise
                url = self._page_moved
        raise ScreenshotError(f"the page redirects more than {MAX_REDIRECTS} times")


def limit_picture(picture: bytes, max_height: int, max_bytes: int) -> bytes:
    """`picture` (a PNG) cut to `max_height` pixels from its top; ScreenshotError when it is
    not an image or is larger than `max_bytes` even so."""
    try:
        with Image.open(io.BytesIO(picture)) as image:
            width, height = image.size
            if height > max_height:
                out = io.BytesIO()
                image.crop((0, 0, width, max_height)).save(out, format="PNG", optimize=True)
                picture = out.getvalue()
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise ScreenshotError(f"the screenshot is not an image: {exc}") from exc
    if len(picture) > max_bytes:
        raise ScreenshotError(f"the screenshot of {len(picture) / 2**20:.1f} MB is too large")
    return picture
