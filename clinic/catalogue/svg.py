"""Checking and cleaning SVG illustrations, from our own files or from an upload.

Plain Python. An SVG is a document that can carry scripts, event handlers and links to
other places; an illustration must carry none of them. The file is parsed without
entity expansion or DTDs (defusedxml), anything dangerous is refused with a message
that says what was found, and the drawing is written out again from an allow-list of
elements and attributes, so editor metadata and unknown attributes never get through.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree  # only to build the clean copy, never to parse
from collections.abc import Iterable
from typing import Final

import tinycss2
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from tinycss2.ast import Node

SVG_NS: Final = "http://www.w3.org/2000/svg"
XLINK_NS: Final = "http://www.w3.org/1999/xlink"
MAX_BYTES: Final = 512 * 1024

# Shapes, grouping, text and paint servers: everything a drawing needs, nothing that runs.
ELEMENTS: Final = frozenset(
    {
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "path",
        "line",
        "polyline",
        "polygon",
        "circle",
        "ellipse",
        "rect",
        "text",
        "tspan",
        "use",
        "symbol",
        "marker",
        "clipPath",
        "mask",
        "linearGradient",
        "radialGradient",
        "stop",
        "pattern",
        "image",
    }
)
# Elements whose only purpose is behaviour or foreign content: refused outright.
DANGEROUS_ELEMENTS: Final = frozenset(
    {
        "script",
        "foreignObject",
        "iframe",
        "embed",
        "object",
        "handler",
        "listener",
        "animate",
        "animateMotion",
        "animateTransform",
        "set",
        "discard",
        "a",
        "audio",
        "video",
        "style",
    }
)
ATTRIBUTES: Final = frozenset(
    {
        "id",
        "class",
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-opacity",
        "stroke-miterlimit",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "preserveAspectRatio",
        "role",
        "aria-label",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "patternUnits",
        "clip-path",
        "clip-rule",
        "mask",
        "marker-start",
        "marker-mid",
        "marker-end",
        "markerWidth",
        "markerHeight",
        "refX",
        "refY",
        "orient",
        "markerUnits",
        "href",
        "style",
        "vector-effect",
        "dx",
        "dy",
        "lang",
    }
)
STYLE_PROPERTIES: Final = ATTRIBUTES - {"id", "class", "viewBox", "d", "points", "href", "style"}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")


class SvgError(ValueError):
    """Why an SVG was refused, in words for the person who uploaded it."""


def _local_name(name: str) -> tuple[str | None, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return None, name


# CSS functions that fetch, run or compute: refused in any style or presentation value.
_REFUSED_FUNCTIONS: Final = frozenset({"expression", "image", "image-set", "element", "src", "env"})


def _check_tokens(tokens: Iterable[Node], where: str) -> None:
    """Refuse every url() but a reference inside the drawing, however it is spelt: the
    value is tokenised as a browser would (tinycss2, CSS Syntax 3), so escapes such as
    ``\\75rl(`` or ``u\\rl(`` reach here as the url token they are."""
    for token in tokens:
        if token.type == "url":
            target = token.value.strip()
            if not target.startswith("#"):
                raise SvgError(f"{where} refers to '{target[:60]}' outside the drawing")
        elif token.type == "function":
            if token.lower_name == "url":
                strings = [part.value for part in token.arguments if part.type == "string"]
                target = (strings[0] if strings else "").strip()
                if not target.startswith("#"):
                    raise SvgError(f"{where} refers to '{target[:60]}' outside the drawing")
            elif token.lower_name in _REFUSED_FUNCTIONS:
                raise SvgError(f"{where} contains a script or an import")
            _check_tokens(token.arguments, where)
        elif token.type in ("() block", "[] block", "{} block"):
            _check_tokens(token.content, where)
        elif token.type == "at-keyword" or (
            token.type == "ident" and token.lower_value.startswith("javascript")
        ):
            raise SvgError(f"{where} contains a script or an import")


# A value without "(", "@" or a backslash cannot hold a function, a url token or an
# at-keyword however it is tokenised (escapes need the backslash): most values (numbers,
# path data, colours by name or #hex) are plain and skip the tokeniser.
_PLAIN_VALUE: Final = re.compile(r"[^()@\\]*")


def _check_urls(value: str, where: str) -> None:
    lowered = value.lower()
    if "javascript:" in lowered:
        raise SvgError(f"{where} contains a script or an import")
    if _PLAIN_VALUE.fullmatch(value) and "javascript" not in lowered:
        return
    _check_tokens(tinycss2.parse_component_value_list(value, skip_comments=True), where)


def _clean_style(value: str, where: str) -> str:
    """Only the known presentation properties, each value checked token by token and
    written back in its plain spelling (no escapes survive)."""
    if "javascript:" in value.lower():
        raise SvgError(f"{where} contains a script or an import")
    kept = []
    for declaration in tinycss2.parse_declaration_list(
        value, skip_comments=True, skip_whitespace=True
    ):
        if declaration.type == "at-rule":
            raise SvgError(f"{where} contains a script or an import")
        if declaration.type != "declaration":
            continue
        _check_tokens(declaration.value, where)
        setting = tinycss2.serialize(declaration.value).strip()
        if declaration.lower_name in STYLE_PROPERTIES and setting:
            kept.append(f"{declaration.lower_name}:{setting}")
    return ";".join(kept)


def sanitise(source: str | bytes) -> str:
    """The cleaned SVG text, or :class:`SvgError` saying what was refused."""
    raw = source.encode() if isinstance(source, str) else source
    if len(raw) > MAX_BYTES:
        raise SvgError(f"The drawing is larger than {MAX_BYTES // 1024} KB")
    try:
        root = fromstring(raw, forbid_dtd=True)
    except DefusedXmlException:
        raise SvgError("The file declares entities or a DTD, which are not allowed") from None
    except ParseError as error:
        raise SvgError(f"The file is not well-formed XML ({error})") from None
    namespace, name = _local_name(root.tag)
    if namespace != SVG_NS or name != "svg":
        raise SvgError("The file is not an SVG drawing (its root element is not <svg>)")
    if "viewBox" not in root.attrib and not {"width", "height"} <= set(root.attrib):
        raise SvgError("The drawing needs a viewBox, or a width and a height")
    cleaned = _copy(root)
    if cleaned is None:  # pragma: no cover - the root is always an SVG element
        raise SvgError("The file is not an SVG drawing")
    ElementTree.register_namespace("", SVG_NS)
    return ElementTree.tostring(cleaned, encoding="unicode") + "\n"


def _copy(element: ElementTree.Element) -> ElementTree.Element | None:
    namespace, name = _local_name(element.tag)
    if name in DANGEROUS_ELEMENTS:
        raise SvgError(f"The drawing contains a <{name}> element, which is not allowed")
    if namespace != SVG_NS:
        # Editors' own data (Inkscape, Sodipodi, RDF metadata): dropped, harmless.
        return None
    if name not in ELEMENTS:
        return None
    copy = ElementTree.Element(f"{{{SVG_NS}}}{name}")
    for attribute, value in element.attrib.items():
        attribute_namespace, attribute_name = _local_name(attribute)
        where = f"The {attribute_name} attribute of <{name}>"
        if attribute_name.lower().startswith("on"):
            raise SvgError(f"{where} is an event handler, which is not allowed")
        if attribute_name == "href" and attribute_namespace in (None, XLINK_NS):
            target = value.strip()
            if name == "image" and _DATA_IMAGE.match(target):
                copy.set("href", target)
                continue
            if not target.startswith("#"):
                raise SvgError(f"{where} links to '{target[:60]}' outside the drawing")
            copy.set("href", target)
            continue
        if attribute_namespace is not None or attribute_name not in ATTRIBUTES:
            continue
        if attribute_name == "style":
            style = _clean_style(value, where)
            if style:
                copy.set("style", style)
            continue
        _check_urls(value, where)
        copy.set(attribute_name, value)
    if name == "image" and "href" not in copy.attrib:
        raise SvgError("An <image> in the drawing must embed its picture (a data: URL)")
    copy.text = element.text if name in ("title", "desc", "text", "tspan") else None
    for child in element:
        cleaned = _copy(child)
        if cleaned is not None:
            cleaned.tail = child.tail if name in ("text", "tspan") else None
            copy.append(cleaned)
    return copy


def aspect_ratio(svg: str) -> float | None:
    """Width over height of the drawing (from its viewBox, else its width and height), or
    None when they cannot be read."""
    root = fromstring(svg.encode(), forbid_dtd=True)
    sizes = root.get("viewBox", "").replace(",", " ").split()[2:]
    if len(sizes) != 2:
        sizes = [
            root.get("width", "").removesuffix("px"),
            root.get("height", "").removesuffix("px"),
        ]
    try:
        width, height = (float(size) for size in sizes)
    except ValueError:
        return None
    return width / height if width > 0 and height > 0 else None


def title_of(svg: str) -> str:
    """The drawing's <title> text (its accessible name), or an empty string."""
    root = fromstring(svg.encode(), forbid_dtd=True)
    title = root.find(f"{{{SVG_NS}}}title")
    return (title.text or "").strip() if title is not None else ""


def with_title(svg: str, alt: str) -> str:
    """``svg`` with its <title> and aria-label set to ``alt``, so the alt text travels
    with the drawing wherever it is shown."""
    ElementTree.register_namespace("", SVG_NS)
    root = fromstring(svg.encode(), forbid_dtd=True)
    title = root.find(f"{{{SVG_NS}}}title")
    if title is None:
        title = ElementTree.Element(f"{{{SVG_NS}}}title")
        root.insert(0, title)
    title.text = alt
    root.set("role", "img")
    root.set("aria-label", alt)
    return ElementTree.tostring(root, encoding="unicode") + "\n"
