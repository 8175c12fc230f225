"""The SVG sanitiser and the pose drawings. No database."""

from __future__ import annotations

from typing import Any

import pytest
from defusedxml.ElementTree import fromstring

from clinic.catalogue.figures import FigureError, Pose, read_figure, render
from clinic.catalogue.svg import SvgError, aspect_ratio, sanitise, title_of, with_title

SVG_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 10 10">'
)


def _svg(body: str) -> str:
    return f"{SVG_OPEN}{body}</svg>"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ('<circle r="2" onclick="alert(1)"/>', "event handler"),
        ('<circle r="2" onload="alert(1)"/>', "event handler"),
        ('<use href="https://example.com/sprite.svg#a"/>', "outside the drawing"),
        ('<use xlink:href="file:///etc/passwd"/>', "outside the drawing"),
        ('<image href="http://example.com/x.png" width="5" height="5"/>', "outside the drawing"),
        ('<rect width="5" height="5" fill="url(http://example.com/x#g)"/>', "outside the drawing"),
        ('<rect width="5" height="5" style="fill:url(https://x.org/p)"/>', "outside the drawing"),
        (
            '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
            "<foreignObject>",
        ),
        ('<a href="javascript:alert(1)"><circle r="2"/></a>', "<a>"),
        ('<set attributeName="href" to="javascript:alert(1)"/>', "<set>"),
        ("<style>@import url(http://x.org/a.css);</style>", "<style>"),
        # The spellings a browser reads as url(), however they are escaped or cased.
        ('<rect width="5" height="5" style="fill:\\75rl(http://x.org/p)"/>', "outside"),
        ('<rect width="5" height="5" style="fill:\\75 rl(http://x.org/p)"/>', "outside"),
        ('<rect width="5" height="5" style="fill:u\\rl(http://x.org/p)"/>', "outside"),
        ('<rect width="5" height="5" style="fill:\\55\\52\\4c(http://x.org/p)"/>', "outside"),
        ('<rect width="5" height="5" style="fill:URL( &quot;http://x.org/p&quot; )"/>', "outside"),
        ('<rect width="5" height="5" style="fill:/**/url(//x.org/p)"/>', "outside"),
        ('<rect width="5" height="5" fill="\\75rl(http://x.org/p)"/>', "outside"),
        ('<rect width="5" height="5" style="fill:image-set(&quot;x.png&quot; 1x)"/>', "script"),
        ('<rect width="5" height="5" style="@import &quot;x.css&quot;;fill:red"/>', "script"),
        ('<rect width="5" height="5" style="fill:red;behavior:expression(alert(1))"/>', "script"),
    ],
)
def test_the_sanitiser_refuses_scripts_handlers_and_outside_references(
    body: str, message: str
) -> None:
    with pytest.raises(SvgError, match=message.replace("(", r"\(")):
        sanitise(_svg(body))


def test_a_style_keeps_known_properties_in_plain_spelling_and_local_references() -> None:
    cleaned = sanitise(
        _svg(
            '<rect width="5" height="5" style="FILL:url(#g); stroke-width: 2 ;'
            ' position:fixed; /* note */ opacity:0.5"/>'
        )
    )
    assert 'style="fill:url(#g);stroke-width:2;opacity:0.5"' in cleaned


def test_entities_and_dtds_are_refused_before_anything_is_expanded() -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>' + _svg(
        "<text>&a;</text>"
    )
    with pytest.raises(SvgError, match="entities or a DTD"):
        sanitise(bomb)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<svg", "not well-formed"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "not an SVG drawing"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>', "viewBox"),
    ],
)
def test_files_that_are_not_drawings_are_refused(source: str, message: str) -> None:
    with pytest.raises(SvgError, match=message):
        sanitise(source)


def test_a_clean_drawing_keeps_its_shapes_and_loses_editor_metadata() -> None:
    source = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'viewBox="0 0 10 10" inkscape:version="1.3"><inkscape:grid/>'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs>'
        '<circle cx="5" cy="5" r="4" fill="url(#g)" data-secret="x" '
        'style="stroke:#000;behavior:x"/>'
        '<use href="#g"/></svg>'
    )
    cleaned = sanitise(source)
    root = fromstring(cleaned.encode())
    circle = root.find("{http://www.w3.org/2000/svg}circle")
    assert circle is not None and circle.get("fill") == "url(#g)"
    assert circle.get("style") == "stroke:#000"
    assert circle.get("data-secret") is None
    assert "inkscape" not in cleaned
    assert root.find("{http://www.w3.org/2000/svg}use").get("href") == "#g"  # type: ignore[union-attr]


def test_an_embedded_raster_picture_is_allowed() -> None:
    pixel = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5E"
        "rkJggg=="
    )
    cleaned = sanitise(_svg(f'<image width="1" height="1" href="data:image/png;base64,{pixel}"/>'))
    assert "data:image/png;base64," in cleaned


def test_the_alt_text_becomes_the_drawings_title_and_label() -> None:
    svg = with_title(sanitise(_svg('<circle r="2"/>')), "A circle & a dot")
    assert title_of(svg) == "A circle & a dot"
    assert 'aria-label="A circle &amp; a dot"' in svg


# --- Pose drawings ---------------------------------------------------------------------

STANDING: dict[str, Any] = {"hip": [100, 70]}


def test_a_pose_places_the_joints_by_segment_direction() -> None:
    joints = Pose(hip=(100.0, 70.0), trunk=90, leg_near=(270.0, 0.0)).joints("side")
    assert joints["neck"] == pytest.approx((100.0, 20.0))
    assert joints["knee_near"] == pytest.approx((100.0, 110.0))
    # Shin pointing right (0 degrees): the ankle is level with the knee.
    assert joints["ankle_near"] == pytest.approx((138.0, 110.0))


def test_the_end_pose_lists_only_what_moves() -> None:
    figure = read_figure(
        {"layout": "overlay", "start": {**STANDING, "head": 90}, "end": {"head": 60}}
    )
    assert figure.end is not None
    assert figure.end.hip == figure.start.hip and figure.end.head == 60


def test_a_drawing_is_an_svg_whose_title_is_the_alt_text() -> None:
    figure = read_figure(
        {
            "layout": "sequence",
            "start": STANDING,
            "end": {"arm_near": [0, 0]},
            "arrows": [{"joint": "hand_near"}],
            "props": [{"kind": "floor"}, {"kind": "band", "at": ["hand_near", [200, 40]]}],
        }
    )
    svg = render(figure, "Standing, then raising the arm forward")
    assert title_of(svg) == "Standing, then raising the arm forward"
    assert sanitise(svg)  # our own drawings pass our own sanitiser


@pytest.mark.parametrize(
    ("description", "field"),
    [
        ({"layout": "spiral", "start": STANDING}, "illustration.pose.layout"),
        ({"start": {"trunk": 90}, "end": {}}, "illustration.pose.start.hip"),
        ({"start": {**STANDING, "tail": 10}, "end": {}}, "illustration.pose.start.tail"),
        ({"start": {**STANDING, "leg_near": [270]}, "end": {}}, "illustration.pose.start.leg_near"),
        ({"start": STANDING}, "illustration.pose.end"),
        (
            {"layout": "single", "start": STANDING, "arrows": [{"bend": 1}]},
            "illustration.pose.arrows[0]",
        ),
        (
            {"layout": "single", "start": STANDING, "arrows": [{"joint": "tail"}]},
            "illustration.pose.arrows",
        ),
        (
            {"layout": "single", "start": STANDING, "props": [{"kind": "trampoline"}]},
            "illustration.pose.props[0].kind",
        ),
    ],
)
def test_a_pose_that_cannot_be_drawn_names_its_field(
    description: dict[str, Any], field: str
) -> None:
    with pytest.raises(FigureError) as raised:
        read_figure(description)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("attributes", "ratio"),
    [
        ('viewBox="0 58 516 112" width="100" height="100"', 516 / 112),  # the viewBox wins
        ('viewBox="0,0,40,80"', 0.5),
        ('width="300px" height="100px"', 3.0),
        ('width="300" height="0"', None),
        ('width="wide" height="100"', None),
        ("", None),
    ],
)
def test_the_aspect_ratio_comes_from_the_viewbox_else_the_size(
    attributes: str, ratio: float | None
) -> None:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}><circle r="2"/></svg>'
    assert aspect_ratio(svg) == (pytest.approx(ratio) if ratio is not None else None)
