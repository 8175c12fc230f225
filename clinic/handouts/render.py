"""Rendering handouts to PDF with WeasyPrint, in the long-lived server process.

WeasyPrint is imported, the stylesheets parsed and the font configuration built once, when
the app starts; each request only lays out its own document. The URL fetcher serves the
app's own static files and embedded ``data:`` images, and refuses everything else (no
network, no other file paths: WeasyPrint's documentation, "Security"). Finished PDFs are
kept in a small cache keyed by a fingerprint of everything that goes into them, which
also serves as the response's ETag.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from jinja2 import Environment

from clinic.handouts.content import PAPER_SIZES, Handout, HandoutOptions
from clinic.handouts.samples import sample_handout

CACHE_SIZE = 64
PAGE_SIZES = {"a4": "A4", "letter": "letter"}
STATIC_PREFIX = "static:/"


class RefusedURLError(ValueError):
    """A handout asked for something outside the app's static files."""


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves ``static:/...`` from the app's static folder, and ``data:`` URLs."""

        def __init__(self, static_dir: Path) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.static_dir = static_dir.resolve()
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STATIC_PREFIX):
                path = (self.static_dir / url.removeprefix(STATIC_PREFIX)).resolve()
                if path.is_relative_to(self.static_dir) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes())
            self.refused.append(url)
            raise RefusedURLError(f"not fetched: {url[:80]}")

    return StaticOnlyFetcher


def svg_data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


class HandoutRenderer:
    """One per process. ``render`` is thread-safe: the cache is behind a lock, and each
    document is laid out on its own."""

    def __init__(self, static_dir: Path, jinja: Environment, template: str) -> None:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        self._html_class = HTML
        self.static_dir = static_dir
        self.fetcher = _fetcher_class()(static_dir)
        self.fonts = FontConfiguration()
        stylesheet = (static_dir / "css" / "handout.css").read_text(encoding="utf-8")
        self.template = jinja.get_template(template)
        source = Path(self.template.filename or "")
        template_text = source.read_text(encoding="utf-8") if source.is_file() else template
        self.template_version = hashlib.sha256((template_text + stylesheet).encode()).hexdigest()[
            :16
        ]
        self._styles = {
            paper: [
                CSS(string=stylesheet, font_config=self.fonts, url_fetcher=self.fetcher),
                CSS(string=f"@page {{ size: {PAGE_SIZES[paper]}; }}", font_config=self.fonts),
            ]
            for paper in PAPER_SIZES
        }
        # Images decoded once and shared between renders (WeasyPrint's image cache).
        self._images: dict[str, Any] = {}
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Render a one-item handout once in each paper and print size, without caching
        it: Pango loads the fonts and WeasyPrint fills its own caches on a first render,
        which would otherwise fall on the first patient's print."""
        for paper in PAPER_SIZES:
            for large_print in (False, True):
                sample = sample_handout(["bridge"], general_advice="A.", large_print=large_print)
                self._write([sample], HandoutOptions(paper))

    def etag(self, handout: Handout, options: HandoutOptions) -> str:
        return handout.fingerprint(options, self.template_version)

    def cached(self, etag: str) -> bytes | None:
        with self._lock:
            pdf = self._cache.get(etag)
            if pdf is not None:
                self._cache.move_to_end(etag)
            return pdf

    def html(self, handouts: list[Handout], options: HandoutOptions) -> str:
        return self.template.render(handouts=handouts, options=options, svg_data_url=svg_data_url)

    def render(self, handouts: list[Handout], options: HandoutOptions) -> tuple[bytes, str]:
        """The PDF of one or more handouts (one after another) and its ETag."""
        etag = hashlib.sha256(
            "".join(self.etag(handout, options) for handout in handouts).encode()
        ).hexdigest()
        pdf = self.cached(etag)
        if pdf is not None:
            return pdf, etag
        pdf = self._write(handouts, options)
        with self._lock:
            self._cache[etag] = pdf
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return pdf, etag

    def _write(self, handouts: list[Handout], options: HandoutOptions) -> bytes:
        return self.write_html(self.html(handouts, options), options.paper)

    def write_html(self, html: str, paper: str) -> bytes:
        """Any document of ours (a handout, a referral letter) as a PDF/UA file, with the
        handout stylesheet, fonts and the static-only fetcher."""
        document = self._html_class(string=html, url_fetcher=self.fetcher, base_url="static:/")
        pdf: bytes = document.write_pdf(
            stylesheets=self._styles[paper],
            font_config=self.fonts,
            pdf_variant="pdf/ua-1",
            cache=self._images,
            uncompressed_pdf=False,
        )
        return pdf
