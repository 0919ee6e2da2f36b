"""The report's hand-drawn pictures (the 읍면동 map, the cluster network) as a list of shapes,
written twice from the same list: SVG for the HTML page (text in the page's embedded font) and a
PNG drawn with Pillow in the same font for the workbook, which cannot show SVG."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from html import escape

from pipeline.reports.charts import FONT
from pipeline.reports.fonts import korean_font_path

PNG_SCALE = 2  # the workbook's picture at twice the SVG's size (~150 dpi), shrunk to the page there
INK = "#222222"
_PIL_ANCHORS = {"start": "lm", "middle": "mm", "end": "rm"}


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: str
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # of the text's middle
    text: str
    size: float
    anchor: str = "start"  # "middle", "end"
    bold: bool = False
    color: str = INK
    halo: bool = False  # a white outline, for a label drawn over lines


def svg(width: float, height: float, items: list, title: str | None = None) -> str:
    label = f' aria-label="{escape(title)}"' if title else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" role="img"{label} font-family="{escape(FONT)}">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for it in items:
        if isinstance(it, Box):
            out.append(f'<rect x="{it.x:.1f}" y="{it.y:.1f}" width="{it.w:.1f}" height="{it.h:.1f}" fill="{it.fill}"/>')
        elif isinstance(it, Line):
            dash = ' stroke-dasharray="4 3"' if it.dashed else ""
            out.append(f'<line x1="{it.x1:.1f}" y1="{it.y1:.1f}" x2="{it.x2:.1f}" y2="{it.y2:.1f}" stroke="{it.color}" '
                       f'stroke-width="{it.width:.1f}" stroke-linecap="round"{dash}/>')
        elif isinstance(it, Circle):
            out.append(f'<circle cx="{it.x:.1f}" cy="{it.y:.1f}" r="{it.r:.1f}" fill="{it.fill}"/>')
        else:
            weight = ' font-weight="bold"' if it.bold else ""
            halo = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' if it.halo else ""
            out.append(f'<text x="{it.x:.1f}" y="{it.y:.1f}" font-size="{it.size:g}" text-anchor="{it.anchor}" '
                       f'dominant-baseline="central" fill="{it.color}"{weight}{halo}>{escape(it.text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _dashes(it: Line, s: float) -> list[tuple[float, float, float, float]]:
    """The dashed line as segments (Pillow draws no dashes): 4 px on, 3 px off, as the SVG."""
    length = math.hypot(it.x2 - it.x1, it.y2 - it.y1)
    out, pos = [], 0.0
    while pos < length:
        end = min(pos + 4.0, length)
        a, b = pos / length, end / length
        out.append(((it.x1 + (it.x2 - it.x1) * a) * s, (it.y1 + (it.y2 - it.y1) * a) * s,
                    (it.x1 + (it.x2 - it.x1) * b) * s, (it.y1 + (it.y2 - it.y1) * b) * s))
        pos += 7.0
    return out


def png(width: float, height: float, items: list) -> bytes:
    from PIL import Image, ImageDraw, ImageFont  # only a report with a picture needs it

    s = PNG_SCALE
    image = Image.new("RGB", (math.ceil(width * s), math.ceil(height * s)), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict = {}
    for it in items:
        if isinstance(it, Box):
            draw.rectangle([it.x * s, it.y * s, (it.x + it.w) * s - 1, (it.y + it.h) * s - 1], fill=it.fill)
        elif isinstance(it, Line):
            segments = _dashes(it, s) if it.dashed else [(it.x1 * s, it.y1 * s, it.x2 * s, it.y2 * s)]
            for seg in segments:
                draw.line(seg, fill=it.color, width=max(1, round(it.width * s)))
        elif isinstance(it, Circle):
            draw.ellipse([(it.x - it.r) * s, (it.y - it.r) * s, (it.x + it.r) * s, (it.y + it.r) * s], fill=it.fill)
        elif it.text:
            key = (it.size, it.bold)
            if key not in fonts:
                fonts[key] = ImageFont.truetype(str(korean_font_path("Bold" if it.bold else "")), round(it.size * s))
            draw.text((it.x * s, it.y * s), it.text, font=fonts[key], fill=it.color, anchor=_PIL_ANCHORS[it.anchor],
                      **({"stroke_width": 2 * s, "stroke_fill": "white"} if it.halo else {}))
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
