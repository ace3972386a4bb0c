"""The pay chart in a real headless Chromium at a phone's width (390 px) and a desktop's
(1,000 px): it scales to its container (all of a 358 px column, 560 px of a wide one, its
proportions kept, no horizontal scroll), read back from a screenshot's pixels (both bars drawn,
job A's above job B's, their ends where the axis says, the average and median marks on them),
every text inside its chart and no wider than chart.py's conservative estimate (for every BLS
job's name too), and the tick labels apart.

Needs Debian's `chromium` and `chromium-driver` and the `selenium` package; without them this
test fails (CI installs them), it never skips. The PNG is decoded with zlib and struct only.
Screenshots are kept at /tmp/chart-390.png and /tmp/chart-1000.png for a person to look at."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest

from narrator import grammar
from narrator.chart import BAR_FILLS, WIDTH, Bar, pay_chart, text_width
from narrator.formatting import NumberFormat
from narrator.render.renderer import chart_name
from narrator.schema import Job
from tests.browser import chromium
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

try:
    from selenium.webdriver.common.by import By
except ImportError:  # chromium() reports it
    By = None  # type: ignore[assignment,misc]

SVG = "{http://www.w3.org/2000/svg}"
FMT = NumberFormat("en_US")
A = Bar('Bakers <img src=x onerror="document.title=\'pwned\'">', 40_000, 80_000, 55_000,
        median=50_000)
B = Bar("Welders & cutters", 60_000, 150_000, 100_000)
TITLE = "Pay: bakers vs welders"
LONG = Bar("Computer, automated teller, and office machine repairers and installers",
           31_500, 239_200, 250_000, high_is_lower_bound=True, median=120_000)
SIDE = 16  # the page's padding either side of the chart's column
WIDTHS = (390, 1000)


def money(value: float) -> str:
    return FMT.money(value, "USD")


def usd(value: float) -> str:
    return FMT.money(value, "USD", cents=True) + " US dollars"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    flags = ("--force-device-scale-factor=1", "--hide-scrollbars")
    with chromium(tmp_path_factory.mktemp("profile"), flags) as driver:
        yield driver


def viewport(driver: Any, width: int, height: int = 900) -> None:
    """A viewport *width* CSS px wide (a window cannot be made narrower than 500 px)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def page(body: str) -> str:
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Chart test</title><style>body{margin:0;background:#fff}"
            f" figure{{margin:0;padding:12px {SIDE}px}}</style></head>\n<body>\n{body}\n"
            "</body></html>\n")


def write_page(tmp_path: Path, kind: str) -> Path:
    """*kind* "html": the chart inline in a page's column, with a second chart (long labels,
    wide figures) under it; "svg": the chart alone as an image/svg+xml file, which Chromium
    parses as XML (so any markup error shows as an error page)."""
    chart = pay_chart(A, B, money=money, title=TITLE, id_prefix="chart-1")
    if kind == "svg":
        path = tmp_path / "chart.svg"
        path.write_text(chart, encoding="utf-8")
        return path
    second = pay_chart(LONG, Bar("Cooks", 28_000, 45_000, 36_000), money=usd,
                       title="Pay: repairers vs cooks", id_prefix="chart-2")
    path = tmp_path / "chart.html"
    path.write_text(page(f"<figure>\n{chart}\n</figure>\n<figure>\n{second}\n</figure>"),
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


# -- the tests -----------------------------------------------------------------------------------

TEXTS_INSIDE = """
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
    return bad;"""

TEXT_LENGTHS = """
    return [...document.querySelectorAll('svg text')].map(t => [t.textContent,
      parseFloat(t.getAttribute('font-size') || t.closest('svg').getAttribute('font-size')),
      t.getComputedTextLength(), t.hasAttribute('textLength')]);"""


def check_estimates(driver: Any) -> int:
    """Every unsqueezed text's real width (user units) is within chart.py's estimate."""
    rows = driver.execute_script(TEXT_LENGTHS)
    over = [(text, real, text_width(text, size)) for text, size, real, squeezed in rows
            if not squeezed and real > text_width(text, size) + 0.01]
    assert over == []
    return len(rows)


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_scales_to_its_column(browser, tmp_path, width):
    viewport(browser, width)
    browser.get(write_page(tmp_path, "html").as_uri())
    assert browser.execute_script("return document.documentElement.clientWidth") == width
    # no horizontal scroll: nothing is wider than the phone
    assert browser.execute_script("return document.documentElement.scrollWidth") == width
    for svg in browser.find_elements(By.TAG_NAME, "svg"):
        root = ET.fromstring(svg.get_attribute("outerHTML"))
        natural_w, natural_h = int(root.get("width")), int(root.get("height"))
        assert natural_w == WIDTH
        w, h = browser.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", svg)
        assert w == min(WIDTH, width - 2 * SIDE)  # 358 px on the phone, 560 px on the desktop
        assert abs(h - w * natural_h / natural_w) <= 0.5  # its proportions kept
    assert browser.execute_script(TEXTS_INSIDE) == []
    check_estimates(browser)
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
    Path(f"/tmp/chart-{width}.png").write_bytes(browser.get_screenshot_as_png())


@pytest.mark.parametrize("width", WIDTHS)
def test_every_bls_job_name_fits_in_chromium(browser, tmp_path, width):
    """All 830 jobs' chart names (the short names, sentence-cased), one one-bar chart each,
    on one page: no text leaves its chart and none is wider than the estimate the chart
    wraps by, so the estimate is safe for the font Chromium really uses."""
    with open(ROOT / "data" / "bls" / "jobs.jsonl", encoding="utf-8") as f:
        jobs = [msgspec.json.decode(line, type=Job) for line in f]
    charts = []
    for i, job in enumerate(jobs):
        r = job.salary_range
        bar = Bar(grammar.sentence_case(chart_name(job)), r.min if r else 0,
                  r.max if r else 1, job.salary, bool(r and r.max_top_coded))
        charts.append(pay_chart(bar, None, money=money, title=job.title, id_prefix=f"c{i}"))
    path = tmp_path / "all.html"
    path.write_text(page("\n".join(f"<figure>{c}</figure>" for c in charts)), encoding="utf-8")
    viewport(browser, width)
    browser.get(path.as_uri())
    assert len(browser.find_elements(By.TAG_NAME, "svg")) == 830
    assert browser.execute_script(TEXTS_INSIDE) == []
    assert check_estimates(browser) >= 830 * 5  # names, figures, ticks, legend

@pytest.mark.parametrize("kind", ["html", "svg"])
def test_chart_pixels_in_a_browser(browser, tmp_path, kind):
    """At 1,000 px the chart is at its natural size (560 px, one user unit a pixel)."""
    viewport(browser, 1000)
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
    # screen readers: the name is the title, then the desc, in the article's words
    name = svg.accessible_name
    assert name.startswith(TITLE + " Annual pay, 10th to 90th percentile. Bakers <img src=x")
    assert "to $80,000, median $50,000, average $55,000. Welders" in name
    assert name.endswith("Welders & cutters: $60,000 to $150,000, average $100,000.")

    source = ET.fromstring(pay_chart(A, B, money=money, title=TITLE, id_prefix="chart-1"))
    box = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, r.height]",
        svg)
    left, top, width, height = (round(v) for v in box)
    assert (width, height) == (560, int(source.get("height")))
    if kind == "html":
        assert (left, top) == (SIDE, 12)

    png = browser.get_screenshot_as_png()
    (tmp_path / f"chart-{kind}.png").write_bytes(png)
    img = decode_png(png)
    assert img.width >= left + width and img.height >= top + height, "chart outside the viewport"
    region = (left, top, left + width, top + height)

    # the axis from the pixels: tick marks hang below the axis line, one per tick label
    axis = next(el for el in source.iter(f"{SVG}line") if el.get("x1") != el.get("x2"))
    axis_y = top + int(axis.get("y1"))  # the tick marks run from it to axis_y + 4
    columns = [x for x in range(left, left + width)
               if not near(img.rgb(x, axis_y + 2), (255,) * 3, 40)]
    marks = [x + 0.5 for x in columns]  # the pixel's centre
    labels = browser.execute_script(
        "return [...arguments[0].querySelectorAll('text[text-anchor=middle]')].map(t => {"
        " const r = t.getBoundingClientRect(); return [t.textContent, r.left + r.width / 2]; })",
        svg)
    values = [float(re.sub(r"[$,]", "", text)) for text, _ in labels]
    assert values == [0, 50_000, 100_000, 150_000]  # the axis starts at $0
    assert len(marks) == len(values), columns
    for (_, centre), mark in zip(labels[1:-1], marks[1:-1]):
        assert abs(centre - mark) <= 2  # each label is centred on its mark (the ends move in)
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
        # filled, not outlined: nearly every pixel of the box (less the marks on it)
        area = (got.x1 - got.x0 + 1) * (got.y1 - got.y0 + 1)
        assert got.count >= area - 5 * (got.y1 - got.y0 + 1) - 200, (got, area)

        # the average (mean) mark: dark pixels just above the bar, where the axis says
        above = got.y0 - 2
        marks_x = [x for x in range(got.x0, got.x1 + 1) if dark(img.rgb(x, above))]
        assert marks_x, f"no average mark on {bar.label}'s bar"
        assert marks_x == list(range(marks_x[0], marks_x[-1] + 1)) and len(marks_x) <= 4
        centre = (marks_x[0] + marks_x[-1] + 1) / 2
        assert abs(centre - at(bar.mean)) <= 2, (centre, at(bar.mean))
        assert dark(img.rgb(round(centre - 0.5), got.y1 + 2))  # ... and below the bar
        mid = (got.y0 + got.y1) // 2
        assert dark(img.rgb(round(centre - 0.5), mid))  # across the bar
        # the median: a white diamond on the bar's middle, outlined dark (A only)
        if bar.median is not None:
            x = round(at(bar.median) - 0.5)
            assert near(img.rgb(x, mid), (255,) * 3, 30)
            assert any(dark(img.rgb(x + dx, mid)) for dx in range(4, 9))  # its right corner
            assert any(dark(img.rgb(x - dx, mid)) for dx in range(4, 9))  # its left corner
            assert near(img.rgb(x + 12, mid), hex_rgb(fill))  # the bar again past it
        else:
            whites = [x for x in range(got.x0, got.x1 + 1) if near(img.rgb(x, mid), (255,) * 3,
                                                                    30)]
            assert whites == []

    a, b = found
    assert a.y1 < b.y0  # A's bar above B's, apart
    assert a.x0 < b.x0 < a.x1 < b.x1  # 40k < 60k < 80k < 150k
    ratio = (a.x1 - a.x0 + 1) / (b.x1 - b.x0 + 1)
    assert abs(ratio - 40 / 90) <= 0.02  # the lengths are in proportion

    # the legend: each mark drawn beside its word, under the axis
    legend = browser.execute_script(
        "return [...arguments[0].querySelectorAll('text:not([text-anchor])')]"
        ".map(t => t.textContent)", svg)
    assert legend[-3:] == ["Bars: annual pay, 10th to 90th percentile", "median", "average"]
    assert browser.execute_script(TEXTS_INSIDE) == []
    ids = browser.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)) == (4 if kind == "html" else 2)
