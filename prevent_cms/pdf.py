"""Every PDF the project makes (panel packs, compliance reports, subject access exports).

WeasyPrint would otherwise fetch any URL or local file the HTML names (a published
SSRF/file-read advisory), and the HTML holds text people typed. ``LockedFetcher`` is the one
fetcher the project gives WeasyPrint: it serves this app's own static files, found by the
static files finders, and refuses everything else; ``static=False`` refuses even those, for
HTML that must be self-contained.
"""

from __future__ import annotations

import io
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in the HTML resolve against this host, which never exists: only the static
# prefix under it is served.
BASE_URL = "https://pdf.invalid/"


class RefusedFetch(ValueError):
    """WeasyPrint asked for something the locked fetcher does not serve."""


class LockedFetcher(URLFetcher):
    """Serves ``<BASE_URL><STATIC_URL>…`` from the static files finders; refuses the rest.

    ``refused`` lists what was asked for and refused, so a test (or a caller) can see it:
    WeasyPrint itself only logs a failed fetch and leaves the image out.
    """

    def __init__(self, *args, static: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.static = static
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if self.static and url.startswith(prefix) and ".." not in url:
            path = finders.find(url[len(prefix) :].split("?")[0])
            if path:
                body = Path(path).read_bytes()
                kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": kind})
        self.refused.append(url)
        if not self.static:
            raise RefusedFetch("This document fetches nothing, not even static files")
        raise RefusedFetch("Only the application's own static files may be fetched")


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf(
    template: str | None = None,
    context: dict | None = None,
    *,
    html: str | None = None,
    fetcher: LockedFetcher | None = None,
    static: bool = True,
) -> RenderedPdf:
    """Render ``template`` with ``context`` (or ready-made ``html``) to a PDF.

    Always through a ``LockedFetcher``: pass one to read what it refused, or ``static=False``
    for a document that must fetch nothing at all.
    """
    if (template is None) == (html is None):
        raise TypeError("render_pdf takes a template or html, not both")
    if html is None:
        html = render_to_string(template, context or {})
    fetcher = fetcher or LockedFetcher(static=static)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    out = io.BytesIO()
    document.write_pdf(out)
    return RenderedPdf(content=out.getvalue(), pages=len(document.pages))
