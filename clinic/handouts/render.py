"""Rendering handouts to PDF with WeasyPrint.

A renderer is built once per process (the web process, or each process of the batch
pool): WeasyPrint is imported, the stylesheets parsed and the font configuration built
once; each render only lays out its own document. It needs no Flask app: the handout
template has its own Jinja environment, so a pool process builds one from two folder
paths. The URL fetcher serves the app's own static files and embedded ``data:`` images,
and refuses everything else (no network, no other file paths: WeasyPrint's
documentation, "Security").

Nothing is cached here: finished handouts are kept in the database
(``clinic.handouts.archive``), which every worker and app server shares.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from clinic.handouts.content import PAPER_SIZES, Handout, HandoutOptions, tick_boxes_svg
from clinic.handouts.samples import sample_handout
from clinic.templating import format_date

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
STATIC_PREFIX = "static:/"
HANDOUT_TEMPLATE = "handouts/handout.html"


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


def handout_environment(templates_dir: Path) -> Environment:
    """The Jinja environment handouts are written with, outside any Flask app."""
    environment = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    environment.filters["date"] = format_date
    return environment


class HandoutRenderer:
    """One per process. ``render`` may be called from several threads: each document is
    laid out on its own, and WeasyPrint's image cache only ever gains entries."""

    def __init__(self, static_dir: Path, templates_dir: Path) -> None:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        self._html_class = HTML
        self.static_dir = static_dir
        self.templates_dir = templates_dir
        self.fetcher = _fetcher_class()(static_dir)
        self.fonts = FontConfiguration()
        stylesheet = (static_dir / "css" / "handout.css").read_text(encoding="utf-8")
        self.template = handout_environment(templates_dir).get_template(HANDOUT_TEMPLATE)
        template_text = (templates_dir / HANDOUT_TEMPLATE).read_text(encoding="utf-8")
        # Part of every archived handout's key: a new template or stylesheet renders anew.
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
        # Documents laid out by this renderer (the warm-up included).
        self.renders = 0

    def warm_up(self) -> None:
        """Render a one-item handout once: Pango loads the fonts and WeasyPrint fills its
        caches on a first render (about 0.4 s here), which would otherwise fall on the
        first patient's print. Once is enough: each further paper or print size costs a
        first print about 0.25 s more, once, and warming them all would add that to every
        worker's start (gunicorn answers its first request within 3 s)."""
        self.render(sample_handout(["bridge"], general_advice="A."), HandoutOptions("a4"))

    def html(self, handout: Handout, options: HandoutOptions) -> str:
        return self.template.render(
            h=handout, options=options, svg_data_url=svg_data_url, tick_boxes_svg=tick_boxes_svg
        )

    def render(self, handout: Handout, options: HandoutOptions) -> bytes:
        """One handout as a PDF/UA file; its pages number from 1."""
        return self.write_html(self.html(handout, options), options.paper)

    def write_html(self, html: str, paper: str) -> bytes:
        """Any document of ours (a handout, a referral letter) as a PDF/UA file, with the
        handout stylesheet, fonts and the static-only fetcher."""
        self.renders += 1
        document = self._html_class(string=html, url_fetcher=self.fetcher, base_url="static:/")
        pdf: bytes = document.write_pdf(
            stylesheets=self._styles[paper],
            font_config=self.fonts,
            pdf_variant="pdf/ua-1",
            cache=self._images,
            uncompressed_pdf=False,
        )
        return pdf
