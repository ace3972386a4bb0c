"""The pay chart in a real headless Chromium, read back from a screenshot's pixels: both bars are
drawn, job A's above job B's, their ends where the axis (its tick marks, also found in the
pixels, and its tick labels) says the amounts are, and each mean mark inside its bar.

Needs Debian's `chromium` and `chromium-driver` and the `selenium` package; without them this
test fails (CI installs them), it never skips. The PNG is decoded with zlib and struct only.
One screenshot is kept at /tmp/chart.png for a person to look at."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from narrator.chart import BAR_FILLS, Bar, pay_chart
from narrator.formatting import NumberFormat
from tests.browser import chromium

pytestmark = pytest.mark.browser

try:
    from selenium.webdriver.common.by import By
except ImportError:  # chromium() reports it
    By = None  # type: ignore[assignment,misc]

SCREENSHOT = Path("/tmp/chart.png")

FMT = NumberFormat("en_US")
A = Bar('Bakers <img src=x onerror="document.title=\'pwned\'">', 40_000, 80_000, 55_000)
B = Bar("Welders & cutters", 60_000, 150_000, 100_000)
TITLE = "Pay: bakers vs welders"
LONG = Bar("Computer, automated teller, and office machine repairers and installers",
           31_500, 239_200, 250_000, high_is_lower_bound=True)


def money(value: float) -> str:
    return FMT.money(value, "USD")


def usd(value: float) -> str:
    return FMT.money(value, "USD", cents=True) + " US dollars"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    flags = ("--window-size=720,640", "--force-device-scale-factor=1", "--hide-scrollbars")
    with chromium(tmp_path / "profile", flags) as driver:
        yield driver


def write_page(tmp_path: Path, kind: str) -> Path:
    """*kind* "html": the chart inline in a page, offset from the corner, with a second chart
    (long labels, squeezed) under it; "svg": the chart alone as an image/svg+xml file, which
    Chromium parses as XML (so any markup error shows as an error page)."""
    chart = pay_chart(A, B, money=money, title=TITLE, id_prefix="chart-1")
    if kind == "svg":
        path = tmp_path / "chart.svg"
        path.write_text(chart, encoding="utf-8")
        return path
    second = pay_chart(LONG, Bar("Cooks", 28_000, 45_000, 36_000), money=usd,
                       title="Pay: repairers vs cooks", id_prefix="chart-2")
    path = tmp_path / "chart.html"
    path.write_text(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Chart test</title>"
        "<style>body{margin:0;background:#fff} figure{margin:0;padding:12px 24px}"
        " svg{display:block}</style></head>\n<body>\n"
        f"<figure>\n{chart}\n</figure>\n<figure>\n{second}\n</figure>\n</body></html>\n",
        encoding="utf-8")
    return path


# -- PNG, by hand --------------------------------------------------------------------------------

@dataclass
class Image:
    width: int
    height: int
    channels: int
    rows: list[bytes]

    def rgb(self, x: int, y: int) -> tuple[int, int, int]:
        i = x * self.channels
        return tuple(self.rows[y][i:i + 3])  # type: ignore[return-value]


def decode_png(data: bytes) -> Image:
    """8-bit RGB or RGBA, not interlaced: what Chromium's screenshots are."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((c + p) & 255 for c, p in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        else:
            assert kind == 0, f"unknown PNG filter {kind}"
        rows.append(bytes(line))
        prev = line
    return Image(width, height, bpp, rows)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def near(rgb, target, tolerance=6) -> bool:
    return all(abs(c - t) <= tolerance for c, t in zip(rgb, target))


def dark(rgb) -> bool:
    return max(rgb) < 80


@dataclass
class Box:
    x0: int
    x1: int  # inclusive: the bar covers pixels x0..x1, i.e. page x from x0 to x1 + 1
    y0: int
    y1: int
    count: int


def find_colour(img: Image, colour: tuple[int, int, int], region: tuple[int, int, int, int]
                ) -> Box | None:
    left, top, right, bottom = region
    xs, ys, count = [], [], 0
    for y in range(top, bottom):
        for x in range(left, right):
            if near(img.rgb(x, y), colour):
                xs.append(x)
                ys.append(y)
                count += 1
    return Box(min(xs), max(xs), min(ys), max(ys), count) if count else None


# -- the test ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["html", "svg"])
def test_chart_pixels_in_a_browser(browser, tmp_path, kind):
    path = write_page(tmp_path, kind)
    browser.get(path.as_uri())
    assert browser.execute_script("return window.devicePixelRatio") == 1
    svg = browser.find_elements(By.TAG_NAME, "svg")[0]
    if kind == "html":
        assert browser.title == "Chart test"  # the label's onerror never ran
    else:
        assert browser.execute_script("return document.contentType") == "image/svg+xml"
        assert browser.title == TITLE
    # the label's markup is text: no element was made from it, nothing was fetched
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').length") == 0
    # screen readers: the name is the title, then the desc
    name = svg.accessible_name
    assert name.startswith(TITLE + " Annual pay, 10th to 90th percentile. Bakers <img src=x")
    assert name.endswith("Welders & cutters: $60,000 to $150,000, mean $100,000.")

    box = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, r.height]",
        svg)
    left, top, width, height = (round(v) for v in box)
    assert (width, height) == (640, 160)
    if kind == "html":
        assert (left, top) == (24, 12)

    png = browser.get_screenshot_as_png()
    (tmp_path / f"chart-{kind}.png").write_bytes(png)
    if kind == "html":
        SCREENSHOT.write_bytes(png)
    img = decode_png(png)
    assert img.width >= left + width and img.height >= top + height, "chart outside the viewport"
    region = (left, top, left + width, top + height)

    # the axis from the pixels: tick marks hang below the axis line, one per tick label
    axis_y = top + 116  # the axis line; the tick marks run from it to axis_y + 4
    columns = [x for x in range(left, left + width) if not near(img.rgb(x, axis_y + 2), (255,) * 3,
                                                                 40)]
    marks = [x + 0.5 for x in columns]  # the pixel's centre
    labels = browser.execute_script(
        "return [...arguments[0].querySelectorAll('text[text-anchor=middle]')].map(t => {"
        " const r = t.getBoundingClientRect(); return [t.textContent, r.left + r.width / 2]; })",
        svg)
    values = [float(re.sub(r"[$,]", "", text)) for text, _ in labels]
    assert values == [40_000, 60_000, 80_000, 100_000, 120_000, 140_000, 160_000]
    assert len(marks) == len(values), columns
    for (_, centre), mark in zip(labels, marks):
        assert abs(centre - mark) <= 2  # each label is centred on its mark
    (v0, m0), (v1, m1) = (values[0], marks[0]), (values[-1], marks[-1])

    def at(value: float) -> float:
        return m0 + (value - v0) * (m1 - m0) / (v1 - v0)

    for value, mark in zip(values, marks):
        assert abs(at(value) - mark) <= 1  # evenly spaced: a linear axis

    found = []
    for bar, fill in ((A, BAR_FILLS[0]), (B, BAR_FILLS[1])):
        got = find_colour(img, hex_rgb(fill), region)
        assert got is not None, f"no {fill} pixels: {bar.label}'s bar is not drawn"
        found.append(got)
        # ends where the axis says (the right edge of pixel x1 is x1 + 1)
        assert abs(got.x0 - at(bar.low)) <= 2, (got, at(bar.low))
        assert abs(got.x1 + 1 - at(bar.high)) <= 2, (got, at(bar.high))
        assert 19 <= got.y1 - got.y0 + 1 <= 21  # 20 px tall
        # filled, not outlined: nearly every pixel of the box (the mean mark takes ~3 columns)
        area = (got.x1 - got.x0 + 1) * (got.y1 - got.y0 + 1)
        assert got.count >= area - 5 * (got.y1 - got.y0 + 1), (got, area)

        # the mean mark: dark pixels across the bar's middle row, with the bar on both sides
        mid = (got.y0 + got.y1) // 2
        marks_x = [x for x in range(got.x0, got.x1 + 1) if dark(img.rgb(x, mid))]
        assert marks_x, f"no mean mark on {bar.label}'s bar"
        assert marks_x == list(range(marks_x[0], marks_x[-1] + 1)) and len(marks_x) <= 4
        assert got.x0 < marks_x[0] and marks_x[-1] < got.x1  # inside the bar
        assert near(img.rgb(marks_x[0] - 2, mid), hex_rgb(fill))
        assert near(img.rgb(marks_x[-1] + 2, mid), hex_rgb(fill))
        centre = (marks_x[0] + marks_x[-1] + 1) / 2
        assert abs(centre - at(bar.mean)) <= 2, (centre, at(bar.mean))
        assert dark(img.rgb(round(centre - 0.5), got.y0 - 2))  # it sticks out above ...
        assert dark(img.rgb(round(centre - 0.5), got.y1 + 2))  # ... and below the bar

    a, b = found
    assert a.y1 < b.y0  # A's bar above B's, apart
    assert a.x0 < b.x0 < a.x1 < b.x1  # 40k < 60k < 80k < 150k
    ratio = (a.x1 - a.x0 + 1) / (b.x1 - b.x0 + 1)
    assert abs(ratio - 40 / 90) <= 0.02  # the lengths are in proportion

    # every text of every chart on the page stays inside its chart, the squeezed ones too
    overflow = browser.execute_script("""
        const bad = [];
        for (const svg of document.querySelectorAll('svg')) {
          const box = svg.getBoundingClientRect();
          for (const t of svg.querySelectorAll('text')) {
            const r = t.getBoundingClientRect();
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
                r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
              bad.push([t.textContent, r.left, r.right, box.left, box.right]);
          }
        }
        return bad;""")
    assert overflow == []
    collisions = browser.execute_script("""
        const bad = [];
        for (const svg of document.querySelectorAll('svg')) {
          const boxes = [...svg.querySelectorAll('text[text-anchor=middle]')]
            .map(t => [t.textContent, t.getBoundingClientRect()]);
          for (let i = 1; i < boxes.length; i++)
            if (boxes[i][1].left < boxes[i - 1][1].right + 2)
              bad.push([boxes[i - 1][0], boxes[i][0]]);
        }
        return bad;""")
    assert collisions == []  # tick labels, the wide ones in the second chart too
    ids = browser.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)) == (4 if kind == "html" else 2)
