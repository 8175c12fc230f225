"""Exercise illustrations drawn from a pose description. Plain Python, no Flask.

A pose gives the position of the pelvis and the direction of each body segment; the
figure is drawn as a pictogram (thick round-capped lines, a solid head) so every
illustration in the catalogue shares one style and prints cleanly in black and white.

Angles are in degrees, measured like a compass on paper turned sideways: 0 points to
the right, 90 straight up, 180 to the left, 270 straight down. A segment's angle is
its own direction (hip to knee for a thigh), not the bend at the joint, so a pose
reads the way a therapist would sketch it: "thigh pointing up, shin level".

Three layouts:
- ``overlay``: the start pose in light grey under the end pose, with arrows tracing
  the joints that move (small movements such as a chin tuck);
- ``sequence``: two numbered panels, start then end (bigger movements);
- ``single``: one pose, for holds and positions, with optional arrows showing a pull.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

PANEL_WIDTH = 240
PANEL_HEIGHT = 170
# Room above y=0 so a standing figure (pelvis near y=70) keeps its head in the picture.
HEADROOM = 26
GAP = 36

# Segment lengths, in drawing units (a standing figure is about 150 units tall).
HEAD_RADIUS = 10.0
NECK = 15.0
TRUNK = 50.0
SHOULDER_DROP = 5.0
UPPER_ARM = 27.0
FOREARM = 25.0
THIGH = 40.0
SHIN = 38.0
FOOT = 12.0
# Half-widths used when the figure faces the viewer (front or back view).
SHOULDER_HALF_WIDTH = 18.0
HIP_HALF_WIDTH = 9.0

INK = "#111111"
FAR_LIMB = "#7a7a7a"
GHOST = "#c8c8c8"
PROP = "#111111"

LIMB_WIDTH = 7.5
TRUNK_WIDTH = 12.0
NECK_WIDTH = 6.0
PROP_WIDTH = 2.2
ARROW_WIDTH = 2.6

SEGMENTS = ("trunk", "head", "spine")
LIMBS = ("arm_near", "arm_far", "leg_near", "leg_far")
LAYOUTS = ("overlay", "sequence", "single")
VIEWS = ("side", "front")
PROP_KINDS = (
    "floor",
    "mat",
    "chair",
    "stool",
    "wall",
    "table",
    "pillow",
    "band",
    "ball",
    "weight",
    "box",
    "towel",
    "line",
)


class FigureError(ValueError):
    """A pose description that cannot be drawn; ``field`` names the offending entry."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


Point = tuple[float, float]


def _direction(angle: float) -> Point:
    radians = math.radians(angle)
    return math.cos(radians), -math.sin(radians)


def _along(origin: Point, angle: float, length: float) -> Point:
    dx, dy = _direction(angle)
    return origin[0] + dx * length, origin[1] + dy * length


@dataclass(frozen=True)
class Pose:
    """One body position. Limbs are (upper, lower[, foot or hand]) segment angles."""

    hip: Point
    trunk: float = 90.0
    # How far the middle of the spine bows out of the straight hip-to-neck line, to the
    # left of the trunk's direction (positive: a rounded back when facing right on all
    # fours, as in "cat"); negative bows the other way.
    spine: float = 0.0
    head: float = 90.0
    arm_near: tuple[float, ...] = (270.0, 270.0)
    arm_far: tuple[float, ...] = (270.0, 270.0)
    leg_near: tuple[float, ...] = (270.0, 270.0, 0.0)
    leg_far: tuple[float, ...] = (270.0, 270.0, 0.0)

    def joints(self, view: str) -> dict[str, Point]:
        """Every named point of the figure, for drawing, arrows and props."""
        points: dict[str, Point] = {"hip": self.hip}
        neck = _along(self.hip, self.trunk, TRUNK)
        points["neck"] = neck
        points["head"] = _along(neck, self.head, NECK)
        shoulder = _along(self.hip, self.trunk, TRUNK - SHOULDER_DROP)
        across = self.trunk - 90.0
        for limb, angles in (("arm_near", self.arm_near), ("arm_far", self.arm_far)):
            side = 1.0 if limb.endswith("near") else -1.0
            root = (
                _along(shoulder, across, side * SHOULDER_HALF_WIDTH)
                if view == "front"
                else shoulder
            )
            suffix = limb.removeprefix("arm")
            points["shoulder" + suffix] = root
            elbow = _along(root, angles[0], UPPER_ARM)
            points["elbow" + suffix] = elbow
            points["hand" + suffix] = _along(elbow, angles[1], FOREARM)
        for limb, angles in (("leg_near", self.leg_near), ("leg_far", self.leg_far)):
            side = 1.0 if limb.endswith("near") else -1.0
            root = _along(self.hip, across, side * HIP_HALF_WIDTH) if view == "front" else self.hip
            suffix = limb.removeprefix("leg")
            points["hip" + suffix] = root
            knee = _along(root, angles[0], THIGH)
            points["knee" + suffix] = knee
            ankle = _along(knee, angles[1], SHIN)
            points["ankle" + suffix] = ankle
            if len(angles) > 2:
                points["toe" + suffix] = _along(ankle, angles[2], FOOT)
        return points


@dataclass(frozen=True)
class Prop:
    kind: str
    points: tuple[Point | str, ...] = ()
    size: tuple[float, ...] = ()


@dataclass(frozen=True)
class Arrow:
    """A movement arrow: either traced along a joint from start to end pose, or drawn
    between two fixed points. ``bend`` curves it (a fraction of its length)."""

    joint: str | None = None
    start: Point | None = None
    end: Point | None = None
    bend: float = 0.25
    both_ways: bool = False
    shift: Point = (0.0, 0.0)


@dataclass(frozen=True)
class Figure:
    layout: str
    view: str
    start: Pose
    end: Pose | None = None
    props: tuple[Prop, ...] = ()
    end_props: tuple[Prop, ...] | None = None
    arrows: tuple[Arrow, ...] = ()
    floor: float | None = 150.0
    repeat: bool = False
    # Where the face is, relative to the head's direction: -90 is the face of an upright
    # figure looking right (or of one lying on its back, head to the left). None: no face.
    nose: float | None = None
    width: float = PANEL_WIDTH
    height: float = PANEL_HEIGHT
    extra: Mapping[str, Any] = field(default_factory=dict)


# --- Reading a pose description --------------------------------------------------------


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FigureError(where, "must be a number")
    return float(value)


def _point(value: Any, where: str) -> Point:
    if not isinstance(value, list) or len(value) != 2:
        raise FigureError(where, "must be a pair of numbers [x, y]")
    return _number(value[0], f"{where}[0]"), _number(value[1], f"{where}[1]")


def _angles(value: Any, where: str, minimum: int, maximum: int) -> tuple[float, ...]:
    if not isinstance(value, list) or not minimum <= len(value) <= maximum:
        raise FigureError(where, f"must be a list of {minimum} to {maximum} angles")
    return tuple(_number(item, f"{where}[{index}]") for index, item in enumerate(value))


POSE_KEYS = {"hip", "trunk", "head", "spine", *LIMBS}


def read_pose(data: Any, where: str, base: Pose | None = None) -> Pose:
    """A pose from its description; an end pose lists only what differs from ``base``."""
    if not isinstance(data, dict):
        raise FigureError(where, "must be a table of joint positions")
    unknown = sorted(set(data) - POSE_KEYS)
    if unknown:
        raise FigureError(f"{where}.{unknown[0]}", "is not a body segment this drawing knows")
    if base is None and "hip" not in data:
        raise FigureError(f"{where}.hip", "is required: where the pelvis is, as [x, y]")
    values: dict[str, Any] = {}
    if "hip" in data:
        values["hip"] = _point(data["hip"], f"{where}.hip")
    for key in SEGMENTS:
        if key in data:
            values[key] = _number(data[key], f"{where}.{key}")
    for key in LIMBS:
        if key in data:
            maximum = 3 if key.startswith("leg") else 2
            values[key] = _angles(data[key], f"{where}.{key}", 2, maximum)
    if base is None:
        return Pose(**values)
    return Pose(**{**base.__dict__, **values})


def _read_props(data: Any, where: str) -> tuple[Prop, ...]:
    if not isinstance(data, list):
        raise FigureError(where, "must be a list of props")
    props = []
    for index, entry in enumerate(data):
        here = f"{where}[{index}]"
        if not isinstance(entry, dict) or entry.get("kind") not in PROP_KINDS:
            raise FigureError(f"{here}.kind", f"must be one of {', '.join(PROP_KINDS)}")
        points: list[Point | str] = []
        for number, value in enumerate(entry.get("at", [])):
            points.append(
                value if isinstance(value, str) else _point(value, f"{here}.at[{number}]")
            )
        size = tuple(
            _number(value, f"{here}.size[{number}]")
            for number, value in enumerate(entry.get("size", []))
        )
        props.append(Prop(kind=entry["kind"], points=tuple(points), size=size))
    return tuple(props)


def _read_arrows(data: Any, where: str) -> tuple[Arrow, ...]:
    if not isinstance(data, list):
        raise FigureError(where, "must be a list of arrows")
    arrows = []
    for index, entry in enumerate(data):
        here = f"{where}[{index}]"
        if not isinstance(entry, dict):
            raise FigureError(here, "must be a table")
        joint = entry.get("joint")
        start = _point(entry["from"], f"{here}.from") if "from" in entry else None
        end = _point(entry["to"], f"{here}.to") if "to" in entry else None
        if joint is None and (start is None or end is None):
            raise FigureError(here, "needs a joint to trace, or both 'from' and 'to'")
        arrows.append(
            Arrow(
                joint=joint,
                start=start,
                end=end,
                bend=_number(entry.get("bend", 0.25), f"{here}.bend"),
                both_ways=bool(entry.get("both_ways", False)),
                shift=_point(entry["shift"], f"{here}.shift") if "shift" in entry else (0.0, 0.0),
            )
        )
    return tuple(arrows)


def read_figure(data: Any, where: str = "illustration.pose") -> Figure:
    """A :class:`Figure` from the ``[illustration.pose]`` table of an item file."""
    if not isinstance(data, dict):
        raise FigureError(where, "must be a table")
    layout = data.get("layout", "overlay")
    if layout not in LAYOUTS:
        raise FigureError(f"{where}.layout", f"must be one of {', '.join(LAYOUTS)}")
    view = data.get("view", "side")
    if view not in VIEWS:
        raise FigureError(f"{where}.view", f"must be one of {', '.join(VIEWS)}")
    start = read_pose(data.get("start"), f"{where}.start")
    end = None
    if layout != "single":
        if "end" not in data:
            raise FigureError(f"{where}.end", f"is required for the {layout} layout")
        end = read_pose(data["end"], f"{where}.end", base=start)
    elif "end" in data:
        raise FigureError(f"{where}.end", "is not used by the single layout")
    props = _read_props(data.get("props", []), f"{where}.props")
    end_props = (
        _read_props(data["end_props"], f"{where}.end_props") if "end_props" in data else None
    )
    arrows = _read_arrows(data.get("arrows", []), f"{where}.arrows")
    floor = data.get("floor", 150.0)
    known = {
        "layout",
        "view",
        "start",
        "end",
        "props",
        "end_props",
        "arrows",
        "floor",
        "repeat",
        "nose",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise FigureError(f"{where}.{unknown[0]}", "is not a setting this drawing knows")
    figure = Figure(
        layout=layout,
        view=view,
        start=start,
        end=end,
        props=props,
        end_props=end_props,
        arrows=arrows,
        floor=None if floor is False else _number(floor, f"{where}.floor"),
        repeat=bool(data.get("repeat", False)),
        nose=_number(data["nose"], f"{where}.nose") if "nose" in data else None,
    )
    for arrow in arrows:
        if arrow.joint is not None and arrow.joint not in start.joints(view):
            raise FigureError(f"{where}.arrows", f"'{arrow.joint}' is not a joint of the figure")
    return figure


# --- Drawing ---------------------------------------------------------------------------


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _line(a: Point, b: Point, colour: str, width: float) -> str:
    return (
        f'<line x1="{_fmt(a[0])}" y1="{_fmt(a[1])}" x2="{_fmt(b[0])}" y2="{_fmt(b[1])}" '
        f'stroke="{colour}" stroke-width="{_fmt(width)}"/>'
    )


def _polyline(points: Iterable[Point], colour: str, width: float) -> str:
    coordinates = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)
    return (
        f'<polyline points="{coordinates}" fill="none" stroke="{colour}" '
        f'stroke-width="{_fmt(width)}"/>'
    )


def _body(pose: Pose, view: str, ghost: bool, nose: float | None) -> list[str]:
    points = pose.joints(view)
    ink = GHOST if ghost else INK
    far = GHOST if ghost else (INK if view == "front" else FAR_LIMB)
    parts: list[str] = ['<g stroke-linecap="round" stroke-linejoin="round">']

    def limb(name: str, colour: str) -> None:
        if name.startswith("arm"):
            suffix = name.removeprefix("arm")
            chain = [points["shoulder" + suffix], points["elbow" + suffix]]
            chain.append(points["hand" + suffix])
        else:
            suffix = name.removeprefix("leg")
            chain = [points["hip" + suffix], points["knee" + suffix], points["ankle" + suffix]]
            if "toe" + suffix in points:
                chain.append(points["toe" + suffix])
        parts.append(_polyline(chain, colour, LIMB_WIDTH))

    limb("leg_far", far)
    limb("arm_far", far)
    if view == "front":
        parts.append(_line(points["shoulder_near"], points["shoulder_far"], ink, LIMB_WIDTH))
        parts.append(_line(points["hip_near"], points["hip_far"], ink, LIMB_WIDTH))
    if pose.spine:
        middle = _along(_along(pose.hip, pose.trunk, TRUNK / 2), pose.trunk + 90, 2 * pose.spine)
        neck, hip = points["neck"], pose.hip
        parts.append(
            f'<path d="M{_fmt(hip[0])},{_fmt(hip[1])} Q{_fmt(middle[0])},{_fmt(middle[1])} '
            f'{_fmt(neck[0])},{_fmt(neck[1])}" fill="none" stroke="{ink}" '
            f'stroke-width="{_fmt(TRUNK_WIDTH)}"/>'
        )
    else:
        parts.append(_line(pose.hip, points["neck"], ink, TRUNK_WIDTH))
    parts.append(_line(points["neck"], points["head"], ink, NECK_WIDTH))
    limb("leg_near", ink)
    limb("arm_near", ink)
    head = points["head"]
    parts.append(
        f'<circle cx="{_fmt(head[0])}" cy="{_fmt(head[1])}" r="{_fmt(HEAD_RADIUS)}" fill="{ink}"/>'
    )
    if nose is not None:
        tip = _along(head, pose.head + nose, HEAD_RADIUS + 4)
        parts.append(_line(_along(head, pose.head + nose, 4), tip, ink, 5.0))
    parts.append("</g>")
    return parts


def _resolve(point: Point | str, joints: Mapping[str, Point], where: str) -> Point:
    if isinstance(point, str):
        if point not in joints:
            raise FigureError(where, f"'{point}' is not a joint of the figure")
        return joints[point]
    return point


def _prop(
    prop: Prop, joints: Mapping[str, Point], floor: float | None, width: float, top: float
) -> str:
    at = [_resolve(point, joints, f"props.{prop.kind}") for point in prop.points]
    size = prop.size
    stroke = f'fill="none" stroke="{PROP}" stroke-width="{PROP_WIDTH}" stroke-linejoin="round"'
    ground = floor if floor is not None else PANEL_HEIGHT - 10
    if prop.kind == "floor":
        return _line((6, ground), (width - 6, ground), PROP, PROP_WIDTH)
    if prop.kind == "mat":
        left, right = (at[0][0], at[1][0]) if len(at) == 2 else (20.0, width - 20)
        return (
            f'<rect x="{_fmt(left)}" y="{_fmt(ground - 4)}" width="{_fmt(right - left)}" '
            f'height="4" rx="2" {stroke}/>'
        )
    if prop.kind in ("chair", "stool"):
        # at[0] is the front edge of the seat; size = (seat depth, facing: 1 right, -1 left)
        (x, y), depth = at[0], size[0] if size else 34.0
        facing = size[1] if len(size) > 1 else 1.0
        back_x = x - facing * depth
        parts = [
            _line((x, y), (back_x, y), PROP, 3.0),
            _line((x - facing * 3, y), (x - facing * 3, ground), PROP, PROP_WIDTH),
            _line((back_x, y), (back_x, ground), PROP, PROP_WIDTH),
        ]
        if prop.kind == "chair":
            parts.append(_line((back_x, y), (back_x - facing * 4, y - 48), PROP, 3.0))
        return "".join(parts)
    if prop.kind == "wall":
        x = at[0][0] if at else 20.0
        return _line((x, top + 4), (x, ground), PROP, PROP_WIDTH)
    if prop.kind == "table":
        (x, y) = at[0]
        length = size[0] if size else 70.0
        return "".join(
            [
                _line((x, y), (x + length, y), PROP, 3.0),
                _line((x + 6, y), (x + 6, ground), PROP, PROP_WIDTH),
                _line((x + length - 6, y), (x + length - 6, ground), PROP, PROP_WIDTH),
            ]
        )
    if prop.kind == "pillow":
        (x, y) = at[0]
        rx, ry = (size[0], size[1]) if len(size) == 2 else (16.0, 6.0)
        return f'<ellipse cx="{_fmt(x)}" cy="{_fmt(y)}" rx="{_fmt(rx)}" ry="{_fmt(ry)}" {stroke}/>'
    if prop.kind == "ball":
        (x, y) = at[0]
        radius = size[0] if size else 6.0
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(radius)}" {stroke}/>'
    if prop.kind == "weight":
        (x, y) = at[0]
        return (
            f'<rect x="{_fmt(x - 7)}" y="{_fmt(y - 4)}" width="14" height="8" rx="2" '
            f'fill="{PROP}"/>'
        )
    if prop.kind == "box":
        (x, y) = at[0]
        box_width, box_height = (size[0], size[1]) if len(size) == 2 else (26.0, 20.0)
        return (
            f'<rect x="{_fmt(x - box_width / 2)}" y="{_fmt(y - box_height / 2)}" '
            f'width="{_fmt(box_width)}" height="{_fmt(box_height)}" rx="2" {stroke}/>'
        )
    if prop.kind == "towel":
        (x, y) = at[0]
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="5" {stroke}/>'
    # band and line: a thin line through the points (a band is dashed).
    dash = ' stroke-dasharray="5 3"' if prop.kind == "band" else ""
    coordinates = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in at)
    return (
        f'<polyline points="{coordinates}" fill="none" stroke="{PROP}" '
        f'stroke-width="{PROP_WIDTH}"{dash}/>'
    )


def _arrow_head(tip: Point, towards: Point) -> str:
    angle = math.atan2(tip[1] - towards[1], tip[0] - towards[0])
    size = 9.0
    left = (
        tip[0] - size * math.cos(angle - 0.45),
        tip[1] - size * math.sin(angle - 0.45),
    )
    right = (
        tip[0] - size * math.cos(angle + 0.45),
        tip[1] - size * math.sin(angle + 0.45),
    )
    return (
        f'<polygon points="{_fmt(tip[0])},{_fmt(tip[1])} {_fmt(left[0])},{_fmt(left[1])} '
        f'{_fmt(right[0])},{_fmt(right[1])}" fill="{INK}"/>'
    )


def _arrow(start: Point, end: Point, bend: float, both_ways: bool) -> str:
    length = math.dist(start, end)
    if length < 4:
        return ""
    # Stand the arrow a little off the joints so it never hides the limb.
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    normal = ((end[1] - start[1]) / length, -(end[0] - start[0]) / length)
    control = (middle[0] + normal[0] * bend * length, middle[1] + normal[1] * bend * length)
    path = (
        f'<path d="M{_fmt(start[0])},{_fmt(start[1])} Q{_fmt(control[0])},{_fmt(control[1])} '
        f'{_fmt(end[0])},{_fmt(end[1])}" fill="none" stroke="{INK}" '
        f'stroke-width="{ARROW_WIDTH}" stroke-linecap="round"/>'
    )
    heads = [_arrow_head(end, control)]
    if both_ways:
        heads.append(_arrow_head(start, control))
    return path + "".join(heads)


def _shorten(start: Point, end: Point, by: float) -> tuple[Point, Point]:
    length = math.dist(start, end)
    if length <= 2 * by:
        return start, end
    ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    return (start[0] + ux * by, start[1] + uy * by), (end[0] - ux * by, end[1] - uy * by)


def _panel(
    figure: Figure,
    pose: Pose,
    props: tuple[Prop, ...],
    ghost: Pose | None,
    arrows: bool,
    top: float,
) -> list[str]:
    joints = pose.joints(figure.view)
    parts = [_prop(prop, joints, figure.floor, figure.width, top) for prop in props]
    if ghost is not None:
        parts.extend(_body(ghost, figure.view, ghost=True, nose=figure.nose))
    parts.extend(_body(pose, figure.view, ghost=False, nose=figure.nose))
    if arrows:
        start_joints = figure.start.joints(figure.view)
        for arrow in figure.arrows:
            if arrow.joint is not None:
                begin, finish = start_joints[arrow.joint], joints[arrow.joint]
                begin, finish = _shorten(begin, finish, 3.0)
            elif arrow.start is not None and arrow.end is not None:
                begin, finish = arrow.start, arrow.end
            else:  # pragma: no cover - read_figure refuses such an arrow
                continue
            begin = (begin[0] + arrow.shift[0], begin[1] + arrow.shift[1])
            finish = (finish[0] + arrow.shift[0], finish[1] + arrow.shift[1])
            parts.append(_arrow(begin, finish, arrow.bend, arrow.both_ways))
    return parts


def _badge(number: int, x: float, top: float) -> str:
    return (
        f'<circle cx="{_fmt(x + 14)}" cy="{_fmt(top + 14)}" r="10" fill="none" stroke="{INK}" '
        f'stroke-width="1.8"/><text x="{_fmt(x + 14)}" y="{_fmt(top + 19)}" '
        f'font-family="DejaVu Sans, '
        f'sans-serif" font-size="13" font-weight="bold" text-anchor="middle" '
        f'fill="{INK}">{number}</text>'
    )


def _top(figure: Figure) -> float:
    """The top of the picture: just above the highest point drawn, so a figure lying on
    the floor is not lost under empty sky when the picture is scaled to a page's width."""
    heights = [
        y - HEAD_RADIUS
        for pose in (figure.start, figure.end)
        if pose is not None
        for _, y in pose.joints(figure.view).values()
    ]
    for prop in (*figure.props, *(figure.end_props or ())):
        if prop.kind in ("floor", "mat", "wall"):  # their points give only x positions
            continue
        heights.extend(
            point[1] - (prop.size[1] if len(prop.size) > 1 else 8)
            for point in prop.points
            if not isinstance(point, str)
        )
    for arrow in figure.arrows:
        if arrow.start is not None and arrow.end is not None:
            bulge = abs(arrow.bend) * math.dist(arrow.start, arrow.end)
            heights.extend((arrow.start[1] - bulge, arrow.end[1] - bulge))
    margin = 36.0 if figure.layout == "sequence" else 14.0
    floor = figure.floor if figure.floor is not None else PANEL_HEIGHT - 10
    return max(-HEADROOM, min(min(heights) - margin, floor - 70))


def render(figure: Figure, alt: str) -> str:
    """The SVG document for ``figure``; ``alt`` becomes its title for screen readers."""
    body: list[str] = []
    width = figure.width
    top = math.floor(_top(figure))
    if figure.layout == "sequence" and figure.end is not None:
        body.append(_badge(1, 0, top))
        body.extend(_panel(figure, figure.start, figure.props, None, arrows=False, top=top))
        middle, level = width + GAP / 2, (top + figure.height) / 2
        body.append(_arrow((middle - 13, level), (middle + 13, level), 0, False))
        if figure.repeat:
            body.append(_arrow((middle + 12, level + 16), (middle - 12, level + 16), 0, False))
        body.append(f'<g transform="translate({_fmt(width + GAP)},0)">')
        body.append(_badge(2, 0, top))
        end_props = figure.end_props if figure.end_props is not None else figure.props
        body.extend(_panel(figure, figure.end, end_props, None, arrows=True, top=top))
        body.append("</g>")
        total_width = 2 * width + GAP
    else:
        pose = figure.end if figure.end is not None else figure.start
        ghost = figure.start if figure.layout == "overlay" else None
        body.extend(_panel(figure, pose, figure.props, ghost, arrows=True, top=top))
        total_width = width
    title = escape(alt)
    height = figure.height - top
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {_fmt(top)} {_fmt(total_width)} '
        f'{_fmt(height)}" width="{_fmt(total_width)}" height="{_fmt(height)}" '
        f'role="img" aria-label="{escape(alt, {chr(34): "&quot;"})}">'
        f"<title>{title}</title>" + "".join(body) + "</svg>\n"
    )
