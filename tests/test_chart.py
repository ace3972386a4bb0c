"""narrator.chart: the pay-range SVG. Parsed back with ElementTree and checked against its own
axis: the tick labels say which amount each x is, and the bars, mean and median marks must
agree. (Every BLS job's label: tests/test_chart_labels.py.)"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import pairwise

import pytest

from narrator.chart import (
    BAR_FILLS,
    MEAN_FILL,
    MEDIAN_FILL,
    PLOT_LEFT,
    PLOT_RIGHT,
    ROOM,
    STYLE,
    WIDTH,
    Bar,
    Wording,
    axis_ticks,
    pay_chart,
    text_width,
)
from narrator.formatting import NumberFormat

SVG = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "title", "desc", "rect", "line", "text", "path"}


def dollars(value: float) -> str:
    return f"${value:,.0f}"


ACCOUNTANTS = Bar("Accountants", 56_020, 144_090, 94_750)
ANALYSTS = Bar("Budget analysts", 60_000, 129_560, 89_220)

# (a, b): b None is a one-bar chart
CASES = {
    "brief": (Bar("A", 40_000, 80_000, 55_000), Bar("B", 60_000, 150_000, 100_000)),
    "bls": (ACCOUNTANTS, ANALYSTS),
    "b below a": (Bar("Surgeons", 150_000, 239_200, 200_000), Bar("Cooks", 25_000, 41_000, 33_000)),
    "same range": (Bar("X", 50_000, 90_000, 70_000), Bar("Y", 50_000, 90_000, 70_000)),
    "no means": (Bar("X", 30_000, 60_000, None), Bar("Y", 35_000, 90_000, None)),
    "one mean": (Bar("X", 30_000, 60_000, 41_000), Bar("Y", 35_000, 90_000, None)),
    "narrow": (Bar("X", 20, 30, 25), Bar("Y", 22, 27, 24)),
    "millions": (Bar("X", 1_000_000, 5_000_000, 2_500_000), Bar("Y", 750_000, 1_250_000, 1e6)),
    "from zero": (Bar("X", 0, 10_000, 2_000), Bar("Y", 4_000, 12_000, 9_000)),
    "one bar": (ACCOUNTANTS, None),
    "top-coded": (Bar("Surgeons", 120_000, 239_200, 250_000, True), ANALYSTS),
    "point range": (Bar("X", 50_000, 50_000, 50_000), Bar("Y", 40_000, 70_000, 60_000)),
    "medians": (Bar("X", 30_000, 90_000, 52_000, median=45_000),
                Bar("Y", 35_000, 150_000, 80_000, median=71_000)),
    "one median": (Bar("X", 30_000, 90_000, 52_000, median=52_000),
                   Bar("Y", 35_000, 150_000, None)),
    "median, no mean": (Bar("X", 30_000, 90_000, None, median=60_000), None),
}
IDS = list(CASES)


@dataclass
class Parsed:
    root: ET.Element
    bars: list[ET.Element]       # in document order: a, then b
    means: list[ET.Element]      # on the bars (the legend's sample is under the axis)
    medians: list[tuple[float, float]]  # the diamonds' centres (x, y) on the bars
    ticks: list[tuple[float, float]]  # (value, x)
    axis_y: float
    rows: list[list[str]]        # each bar's visible lines: its name, then its figures
    names: list[str]             # each bar's name lines (the larger font), joined
    legend: list[str]            # the texts under the axis, tick labels aside

    def x(self, value: float) -> float:
        """The axis mapping, read off the first and last tick labels."""
        (v0, x0), (v1, x1) = self.ticks[0], self.ticks[-1]
        return x0 + (value - v0) * (x1 - x0) / (v1 - v0)


def diamond(path: ET.Element) -> tuple[float, float]:
    """The centre of a median diamond ("Mx top Lright mid Lx bottom Lleft mid Z")."""
    xs_ys = [float(v) for v in re.findall(r"[\d.]+", path.get("d"))]
    return xs_ys[0], xs_ys[3]


def parse(svg: str) -> Parsed:
    root = ET.fromstring(svg)
    rects = root.findall(f"{SVG}rect")
    texts = root.findall(f"{SVG}text")
    ticks = [(float(t.text.strip("$").replace(",", "")), float(t.get("x")))
             for t in texts if t.get("text-anchor") == "middle"]
    axis = next(el for el in root.findall(f"{SVG}line") if el.get("x1") != el.get("x2"))
    axis_y = float(axis.get("y1"))
    bars = [r for r in rects if r.get("fill") in BAR_FILLS]
    lines = [t for t in texts if t.get("text-anchor") is None]
    rows: list[list[str]] = []
    names: list[str] = []
    top = 0.0
    for bar in bars:  # the lines above a bar and below the one before are that bar's
        y = float(bar.get("y"))
        own = [t for t in lines if top < float(t.get("y")) < y]
        rows.append([t.text for t in own])
        names.append(" ".join(t.text for t in own if t.get("font-size") == "18"))
        top = y
    return Parsed(root=root, bars=bars,
                  means=[r for r in rects if r.get("fill") == MEAN_FILL
                         and float(r.get("y")) < axis_y],
                  medians=[c for c in (diamond(p) for p in root.findall(f"{SVG}path")
                                       if p.get("fill") == MEDIAN_FILL) if c[1] < axis_y],
                  ticks=ticks, axis_y=axis_y, rows=rows, names=names,
                  legend=[t.text for t in lines if float(t.get("y")) > axis_y])


def chart(a: Bar, b: Bar | None, **kw) -> str:
    kw.setdefault("money", dollars)
    kw.setdefault("title", "Pay compared")
    return pay_chart(a, b, **kw)


def nums(el: ET.Element, *names: str) -> list[float]:
    return [float(el.get(n)) for n in names]


# -- bytes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", IDS)
def test_deterministic(case):
    a, b = CASES[case]
    first = chart(a, b)
    assert first == chart(a, b)
    # equal but distinct inputs (ints vs floats of the same amounts) give the same bytes
    def twin(bar):
        return bar and Bar(str(bar.label), float(bar.low), float(bar.high),
                           None if bar.mean is None else float(bar.mean), bar.high_is_lower_bound,
                           None if bar.median is None else float(bar.median))

    assert chart(twin(a), twin(b)) == first


def test_same_bytes_in_another_process():
    code = ("from narrator.chart import Bar, pay_chart\n"
            "import sys\n"
            "sys.stdout.write(pay_chart(Bar('Accountants', 56020, 144090, 94750),"
            " Bar('Budget analysts', 60000, 129560, 89220),"
            " money=lambda v: f'${v:,.0f}', title='Pay compared'))\n")
    here = chart(ACCOUNTANTS, ANALYSTS)
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout
        assert out == here


@pytest.mark.parametrize("case", IDS)
def test_document_shape(case):
    a, b = CASES[case]
    svg = chart(a, b, id_prefix="cmp-3")
    assert svg.startswith("<svg ") and svg.endswith("</svg>") and "<?xml" not in svg
    assert "\n\n" not in svg  # a blank line would end an HTML block in Markdown
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("font-family") == "sans-serif"
    # fluid: 100 % of its container up to its natural 560 px, the viewBox keeping proportions
    assert root.get("width") == "560" and root.get("style") == STYLE
    assert STYLE == "width:100%;max-width:560px;height:auto"
    height = int(root.get("height"))
    assert root.get("viewBox") == f"0 0 560 {height}"
    assert 120 <= height <= 260 and (height >= 180) == (b is not None)
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == ("cmp-3-title", "cmp-3-desc")
    assert root.get("aria-labelledby") == "cmp-3-title cmp-3-desc"
    assert list(root)[:2] == [title, desc]  # first children, as SVG asks
    assert title.text == "Pay compared"
    # every coordinate has at most one decimal, so the bytes do not drift with float noise
    for el in root.iter():
        for name in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
            if el.get(name) is not None:
                assert re.fullmatch(r"\d+(\.\d)?", el.get(name)), (el.tag, name, el.get(name))


def test_desc_says_the_numbers():
    svg = chart(ACCOUNTANTS, Bar("Budget analysts", 60_000, 129_560, None, median=80_000))
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}desc").text == (
        "Annual pay, 10th to 90th percentile. Accountants: $56,020 to $144,090, average "
        "$94,750. Budget analysts: $60,000 to $129,560, median $80,000.")
    # each job's name on its own line above its bar, its figures on the next
    assert parse(svg).rows == [["Accountants", "$56,020 to $144,090, average $94,750"],
                               ["Budget analysts", "$60,000 to $129,560, median $80,000"]]


def test_the_article_words_average_and_median():
    """The article calls the mean "average" (templates/editorial): so does the chart, and
    "median" for the median; never "mean"."""
    svg = chart(Bar("X", 30_000, 90_000, 52_000, median=45_000), ANALYSTS)
    p = parse(svg)
    assert p.rows[0] == ["X", "$30,000 to $90,000, median $45,000, average $52,000"]
    assert p.legend == ["Bars: annual pay, 10th to 90th percentile", "median", "average"]
    words = " ".join(el.text or "" for el in p.root.iter())
    assert not re.search(r"\bmean\b", words, re.I)


# -- hostile text ---------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "Tom & Jerry &amp; co",
    "\"double\" and 'single' quotes",
    "]]><x/><![CDATA[",
    "<!-- comment --> <?pi x?>",
    "<img src=x onerror=alert(1)>",
    '" onload="alert(1)" x="',
    "<a href=\"javascript:alert(1)\" xlink:href=\"//evil\">link</a>",
    "{label} {pay} {0} {",
    "tab\there, line\nbreak\n\nand blank line",
    "nul \x00 bell \x07 vt \x0b ffff \uffff",
    "<svg onload=alert(1)><use href='data:x'/></svg>",
]

def _plain(text: str) -> str:
    """What the chart is expected to show for *text*: bad characters marked, one line."""
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", text)
    return re.sub("[\t\n\r ]+", " ", text).strip()


def _assert_inert(svg: str) -> ET.Element:
    assert not re.search(r"<\s*script", svg, re.I)
    assert "<!" not in svg and "<?" not in svg and "]]>" not in svg
    assert "\n\n" not in svg
    root = ET.fromstring(svg)
    for el in root.iter():
        assert el.tag.startswith(SVG) and el.tag[len(SVG):] in ALLOWED, el.tag
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), name
            assert "href" not in local and "src" not in local, name
            assert local != "style" or (el is root and value == STYLE), name
            assert "url(" not in value and "javascript:" not in value.lower()
    assert len(list(root.iter())) < 70  # no elements smuggled in through text
    return root


@pytest.mark.parametrize("label", HOSTILE)
@pytest.mark.parametrize("where", ["a", "b", "title"])
def test_hostile_text_is_escaped(label, where):
    a = Bar(label if where == "a" else "Accountants", 50_000, 90_000, 70_000)
    b = Bar(label if where == "b" else "Analysts", 40_000, 80_000, 60_000)
    title = label if where == "title" else "Pay compared"
    root = _assert_inert(chart(a, b, title=title))
    # the text survives, as text
    if where == "title":
        assert root.find(f"{SVG}title").text == _plain(label)
    else:
        desc = root.find(f"{SVG}desc").text
        assert f"{_plain(label)}: $" in desc
        names = parse(ET.tostring(root, encoding="unicode")).names
        assert _plain(label) in names  # whole, over one line or more


@pytest.mark.parametrize("money", [
    lambda v: f"<b>${v:,.0f}</b>",
    lambda v: f"{v:.0f} & \"€\"\n\n<script>",
    lambda v: "{low}{high}{mean}",
])
def test_hostile_money_strings_are_escaped(money):
    root = _assert_inert(chart(ACCOUNTANTS, ANALYSTS, money=money))
    low, high = _plain(money(56_020)), _plain(money(144_090))
    assert f"Accountants: {low} to {high}, average " in root.find(f"{SVG}desc").text


def test_hostile_wording_is_escaped():
    wording = Wording(line="<script>{label}</script> = {pay}", summary="a & b <c>",
                      legend="]]> \n\n x", mean_key="<b>&", median_key="{x}")
    root = _assert_inert(chart(ACCOUNTANTS, ANALYSTS, wording=wording))
    assert root.find(f"{SVG}desc").text.startswith("a & b <c> <script>Accountants</script> = $")


@pytest.mark.parametrize("prefix", ["", "1chart", "a b", '"><script>', "x:y", "é", "a" * 101, None])
def test_bad_id_prefix(prefix):
    with pytest.raises(ValueError, match="id_prefix"):
        chart(ACCOUNTANTS, ANALYSTS, id_prefix=prefix)


def test_two_charts_on_a_page_have_distinct_ids():
    ids = []
    for prefix in ("chart-1", "chart-2"):
        root = ET.fromstring(chart(ACCOUNTANTS, ANALYSTS, id_prefix=prefix))
        ids += [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == 4


# -- geometry -------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", IDS)
def test_axis_ticks_are_round_and_cover_every_amount(case):
    a, b = CASES[case]
    p = parse(chart(a, b))
    values = [v for bar in (a, b) if bar for v in (bar.low, bar.high, bar.mean, bar.median)
              if v is not None]
    ticks = [v for v, _ in p.ticks]
    assert 2 <= len(ticks) <= 6
    # the axis rule: from 0 to the first round tick at or above the highest amount
    full = axis_ticks(0, max(values))
    assert full[0] == 0 and full[-2] < max(values) <= full[-1]
    assert ticks[0] == 0 and set(ticks) <= set(full)
    if max(values) < 1_000_000:  # labels up to "$999,999" fit every gap: all written
        assert ticks == full
    steps = {round(t1 - t0, 6) for t0, t1 in pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert mantissa in (1, 2, 2.5, 5)
    assert all(t % step == 0 for t in ticks)
    # the axis is linear: every tick sits where the first and last say it should
    assert p.ticks[0][1] == PLOT_LEFT and (p.ticks[-1][1] == PLOT_RIGHT) == (ticks == full)
    for value, x in p.ticks:
        assert abs(x - p.x(value)) <= 0.06


@pytest.mark.parametrize(("low", "high", "ticks"), [
    (40_000, 150_000, [25_000, 50_000, 75_000, 100_000, 125_000, 150_000]),
    (0, 144_090, [0, 50_000, 100_000, 150_000]),
    (0, 239_200, [0, 50_000, 100_000, 150_000, 200_000, 250_000]),
    (0, 45_000, [0, 10_000, 20_000, 30_000, 40_000, 50_000]),
    (56_020, 239_200, [50_000, 100_000, 150_000, 200_000, 250_000]),
    (0, 10_000, [0, 2_000, 4_000, 6_000, 8_000, 10_000]),
    (20, 30, [20, 22, 24, 26, 28, 30]),
    (50_000, 50_000, [50_000, 51_000]),
    (0, 0, [0, 1]),
    (0, 3, [0, 1, 2, 3]),
])
def test_axis_ticks(low, high, ticks):
    assert axis_ticks(low, high) == ticks


@pytest.mark.parametrize("case", IDS)
def test_bars_sit_on_the_shared_axis(case):
    a, b = CASES[case]
    p = parse(chart(a, b))
    bars = [bar for bar in (a, b) if bar]
    assert len(p.bars) == len(bars)
    assert [r.get("fill") for r in p.bars] == list(BAR_FILLS[:len(bars)])
    for bar, rect in zip(bars, p.bars):
        x, width = nums(rect, "x", "width")
        assert abs(x - p.x(bar.low)) <= 0.051
        if bar.high > bar.low:
            assert abs(x + width - p.x(bar.high)) <= 0.101
            # proportional: pixels per unit are the same for every bar and for the axis
            scale = (p.ticks[-1][1] - p.ticks[0][1]) / (p.ticks[-1][0] - p.ticks[0][0])
            assert width == pytest.approx((bar.high - bar.low) * scale, abs=0.101)
        else:
            assert width == 1.0  # a point range is drawn 1 px wide
    if len(p.bars) == 2:  # a above b, not overlapping
        (ya, ha), (yb, _) = nums(p.bars[0], "y", "height"), nums(p.bars[1], "y", "height")
        assert ya + ha < yb


@pytest.mark.parametrize("case", IDS)
def test_mean_marks(case):
    a, b = CASES[case]
    p = parse(chart(a, b))
    bars = [(bar, rect) for bar, rect in zip((a, b), p.bars) if bar]
    with_mean = [(bar, rect) for bar, rect in bars if bar.mean is not None]
    assert len(p.means) == len(with_mean)
    for (bar, rect), mark in zip(with_mean, p.means):
        x, width = nums(mark, "x", "width")
        centre = x + width / 2
        assert abs(centre - p.x(bar.mean)) <= 0.051
        bx, by, bw, bh = nums(rect, "x", "y", "width", "height")
        my, mh = nums(mark, "y", "height")
        assert my < by and my + mh > by + bh  # it crosses its own bar, and only that row
        if bar.low <= bar.mean <= bar.high:
            assert bx <= centre <= bx + max(bw, 1.0)
        else:  # a mean above a top-coded 90th percentile is drawn where it is
            assert bar.high_is_lower_bound and centre > bx + bw


@pytest.mark.parametrize(("a_open", "b_open"), [(False, False), (True, False), (False, True),
                                                (True, True)])
def test_top_code_says_or_more(a_open, b_open):
    a = Bar("Surgeons", 120_000, 239_200, 220_000, a_open)
    b = Bar("Dentists", 100_000, 239_200, 200_000, b_open)
    root = ET.fromstring(chart(a, b))
    desc = root.find(f"{SVG}desc").text
    assert ("Surgeons: $120,000 to $239,200 or more, average $220,000." in desc) == a_open
    assert ("Surgeons: $120,000 to $239,200, average $220,000." in desc) == (not a_open)
    assert ("Dentists: $100,000 to $239,200 or more, average $200,000." in desc) == b_open
    assert ("Dentists: $100,000 to $239,200, average $200,000." in desc) == (not b_open)
    rows = parse(ET.tostring(root, encoding="unicode")).rows
    assert [" or more," in row[1] for row in rows] == [a_open, b_open]
    # the open end: a chevron in the bar's colour, right of the bar's end
    chevrons = {p.get("fill") for p in root.findall(f"{SVG}path")}
    assert chevrons == {fill for fill, flag in zip(BAR_FILLS, (a_open, b_open)) if flag}


# -- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("bar", "message"), [
    (Bar("X", 90_000, 50_000, 70_000), "low .* more than high"),
    (Bar("X", 50_000, 49_999.5, None), "low .* more than high"),
    (Bar("X", -1, 50_000, 20_000), "low must be"),
    (Bar("X", 10, -5, None), "high must be"),
    (Bar("X", 10_000, 50_000, -3), "mean must be"),
    (Bar("X", math.nan, 50_000, 20_000), "low must be"),
    (Bar("X", 10_000, math.inf, 20_000), "high must be"),
    (Bar("X", 10_000, 50_000, math.nan), "mean must be"),
    (Bar("X", "10000", 50_000, None), "low must be a number"),
    (Bar("X", 10_000, True, None), "high must be a number"),
    (Bar(None, 10_000, 50_000, None), "label must be a string"),
])
@pytest.mark.parametrize("slot", ["a", "b"])
def test_invalid_bar_is_a_value_error(bar, message, slot):
    a, b = (bar, ANALYSTS) if slot == "a" else (ACCOUNTANTS, bar)
    with pytest.raises(ValueError, match=message):
        chart(a, b)


def test_not_a_bar():
    with pytest.raises(ValueError, match="expected a Bar"):
        chart((1, 2, 3), None)


# -- one bar, locales, wording -------------------------------------------------------------------

def test_one_bar_chart():
    two, one = parse(chart(ACCOUNTANTS, ANALYSTS)), parse(chart(ACCOUNTANTS, None))
    assert len(one.bars) == len(one.means) == 1
    assert one.bars[0].get("fill") == BAR_FILLS[0]
    assert one.bars[0].get("y") == two.bars[0].get("y")  # the first row is where it always is
    assert int(one.root.get("height")) < int(two.root.get("height"))
    assert one.root.find(f"{SVG}desc").text == (
        "Annual pay, 10th to 90th percentile. Accountants: $56,020 to $144,090, average $94,750.")
    # from 0, as always, to the round tick above this one range
    assert [v for v, _ in one.ticks] == [0, 50_000, 100_000, 150_000]


def _marked(name: str, mean: bool, median: bool) -> Bar:
    return Bar(name, 10, 20, 16 if mean else None, median=15 if median else None)


# every combination of marks on two bars, and on one: (a's mean, a's median, b's or None)
_MARKS = [(am, amed, None if b is None else b)
          for am in (False, True) for amed in (False, True)
          for b in (None, (False, False), (True, False), (False, True), (True, True))]


@pytest.mark.parametrize(("a_mean", "a_median", "b_marks"), _MARKS)
def test_rule_the_legend_names_every_kind_of_mark_any_bar_has(a_mean, a_median, b_marks):
    """The legend has "average" when any bar has a mean mark, "median" when any has a median,
    whichever bar has it and whether or not the other has the other kind."""
    b = None if b_marks is None else _marked("Y", *b_marks)
    p = parse(chart(_marked("X", a_mean, a_median), b))
    bars = [(a_mean, a_median)] + ([] if b_marks is None else [b_marks])
    keys = [k for k, i in (("median", 1), ("average", 0)) if any(m[i] for m in bars)]
    assert p.legend == ["Bars: annual pay, 10th to 90th percentile", *keys]
    assert len(p.means) == sum(m[0] for m in bars) and len(p.medians) == sum(m[1] for m in bars)


@pytest.mark.parametrize(("a", "b", "keys"), [
    (ACCOUNTANTS, ANALYSTS, ["average"]),
    (Bar("X", 1, 2, None), Bar("Y", 1, 3, None), []),
    (Bar("X", 1, 2, None, median=1.5), Bar("Y", 1, 3, None), ["median"]),
    (Bar("X", 1, 2, 1.6, median=1.5), Bar("Y", 1, 3, None), ["median", "average"]),
    (Bar("X", 1, 2, None), Bar("Y", 1, 3, 2, median=1.5), ["median", "average"]),
])
def test_legend_draws_each_mark_there_is_beside_its_word(a, b, keys):
    p = parse(chart(a, b))
    assert p.legend == ["Bars: annual pay, 10th to 90th percentile", *keys]
    texts = {t.text: t for t in p.root.findall(f"{SVG}text")}
    samples_mean = [r for r in p.root.findall(f"{SVG}rect")
                    if r.get("fill") == MEAN_FILL and float(r.get("y")) > p.axis_y]
    samples_median = [diamond(d) for d in p.root.findall(f"{SVG}path")
                      if d.get("fill") == MEDIAN_FILL and diamond(d)[1] > p.axis_y]
    assert len(samples_mean) == ("average" in keys)
    assert len(samples_median) == ("median" in keys)
    # each sample sits just left of its word, on its line
    for word, (x, y) in [("average", (float(r.get("x")), float(r.get("y")) + 8))
                         for r in samples_mean] + [("median", c) for c in samples_median]:
        text = texts[word]
        assert 0 < float(text.get("x")) - x <= 16
        assert abs(float(text.get("y")) - 5 - y) <= 1


@pytest.mark.parametrize("case", IDS)
def test_median_marks(case):
    """A diamond on its own bar's middle line, where the axis says the median is."""
    a, b = CASES[case]
    p = parse(chart(a, b))
    bars = [(bar, rect) for bar, rect in zip((a, b), p.bars) if bar]
    with_median = [(bar, rect) for bar, rect in bars if bar.median is not None]
    assert len(p.medians) == len(with_median)
    for (bar, rect), (x, y) in zip(with_median, p.medians):
        assert abs(x - p.x(bar.median)) <= 0.051
        by, bh = nums(rect, "y", "height")
        assert y == by + bh / 2
        bx, bw = nums(rect, "x", "width")
        assert bx <= x <= bx + bw


@pytest.mark.parametrize(("locale", "currency", "tick"), [
    ("en_US", "USD", "$100,000"),
    ("de_DE", "EUR", "100.000\xa0€"),
    ("fr_FR", "EUR", "100\u202f000\xa0€"),
    ("ja_JP", "JPY", "￥100,000"),
])
def test_money_comes_from_the_callable(locale, currency, tick):
    fmt = NumberFormat(locale)
    root = ET.fromstring(chart(ACCOUNTANTS, ANALYSTS,
                               money=lambda v: fmt.money(v, currency)))
    ticks = [t.text for t in root.findall(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert tick in ticks  # no-break spaces kept, not folded into plain spaces
    assert fmt.money(94_750, currency) in root.find(f"{SVG}desc").text


def test_wording_translates_every_word():
    german = Wording(line="{label}: {pay}", span="{low} bis {high}",
                     open_span="{low} bis {high} oder mehr", with_mean="{span}, Mittel {mean}",
                     with_median="{span}, Median {median}",
                     summary="Jahresgehalt, 10. bis 90. Perzentil.",
                     legend="Balken: Jahresgehalt, 10. bis 90. Perzentil",
                     median_key="Median", mean_key="Mittel")
    fmt = NumberFormat("de_DE")
    svg = chart(Bar("Buchhalter", 40_000, 80_000, 55_000),
                Bar("Chirurgen", 60_000, 239_200, 150_000, True, median=140_000),
                money=lambda v: fmt.money(v, "EUR"), wording=german, title="Gehalt")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}desc").text == (
        "Jahresgehalt, 10. bis 90. Perzentil. Buchhalter: 40.000\xa0€ bis 80.000\xa0€, "
        "Mittel 55.000\xa0€. Chirurgen: 60.000\xa0€ bis 239.200\xa0€ oder mehr, "
        "Median 140.000\xa0€, Mittel 150.000\xa0€.")
    words = " ".join(el.text or "" for el in root.iter())
    assert not re.search(r"\b(to|mean|average|median|or more|Bars|Annual)\b", words)


def test_long_label_wraps_whole_words_and_is_never_cut():
    long = "Computer, automated teller, and office machine repairers and installers"
    svg = chart(Bar(long, 30_000, 70_000, 50_000), ANALYSTS)
    p = parse(svg)
    assert f"{long}: $30,000" in p.root.find(f"{SVG}desc").text
    assert p.names[0] == long and "\u2026" not in svg  # all of it, no ellipsis
    assert p.rows[0] == ["Computer, automated teller, and office machine",
                         "repairers and installers", "$30,000 to $70,000, average $50,000"]
    assert "textLength" not in svg  # wrapped, not squeezed
    # every line within the chart by the conservative estimate, and the rows apart
    for t in p.root.findall(f"{SVG}text"):
        if t.get("text-anchor") is None:
            assert 10 + text_width(t.text, float(t.get("font-size", 15))) <= WIDTH - 10


def test_figures_break_after_a_comma_not_between_a_word_and_its_amount():
    usd = NumberFormat("en_US")
    p = parse(chart(Bar("X", 60_000, 239_200, 89_220, True, median=120_000),
                    None, money=lambda v: usd.money(v, "USD", cents=True)))
    assert p.rows[0][1:] == ["$60,000.00 to $239,200.00 or more, median $120,000.00,",
                             "average $89,220.00"]


def test_a_word_wider_than_the_chart_is_squeezed_to_fit_not_cut():
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis-specialists"
    root = ET.fromstring(chart(Bar(word, 30_000, 70_000, 50_000), ANALYSTS))
    line = next(t for t in root.findall(f"{SVG}text") if t.text == word)
    assert line.get("textLength") == f"{ROOM:.1f}"  # squeezed into the width, never past it
    assert line.get("lengthAdjust") == "spacingAndGlyphs"


@pytest.mark.parametrize(("text", "room", "lines"), [
    ("a b c", 1000, ("a b c",)),
    ("aaaa bbbb cccc", 4 * 0.66 * 10 + 1, ("aaaa", "bbbb", "cccc")),
    ("aaaa bbbb cccc", 9 * 0.66 * 10 + 0.45 * 10, ("aaaa bbbb", "cccc")),
    ("toolongaword x", 10, ("toolongaword", "x")),
    ("100\xa0000 €", 1, ("100\xa0000", "€")),  # never at a no-break space
    ("", 10, ("",)),
])
def test_wrap(text, room, lines):
    from narrator.chart import wrap
    assert wrap(text, 10, room) == lines


def test_text_width_is_at_least_dejavu_sans():
    # advance widths of DejaVu Sans (units of 1/2048 em), the widest common sans-serif
    dejavu = {"i": 569, " ": 651, "r": 842, "a": 1255, "m": 1995, "0": 1303, "$": 1303,
              "M": 1767, "W": 2025, "O": 1612, ",": 651, "-": 739, "&": 1597}
    for ch, units in dejavu.items():
        assert text_width(ch, 2048) >= units, ch


@pytest.mark.parametrize("money", [
    lambda v: f"{v:,.2f} US dollars",          # too wide for every gap: every other label
    lambda v: f"USD {v:,.0f} per year, gross",  # wider still
    lambda v: f"${v:,.0f}",                     # fits: every label
])
def test_tick_labels_never_collide_or_leave_the_chart(money):
    root = ET.fromstring(chart(Bar("X", 0, 239_200, 100_000), Bar("Y", 30_000, 60_000, None),
                               money=money))
    axis_y = next(float(el.get("y1")) for el in root.findall(f"{SVG}line")
                  if el.get("x1") != el.get("x2"))
    marks = [el for el in root.findall(f"{SVG}line") if float(el.get("y2")) == axis_y + 4]
    labels = [t for t in root.findall(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert len(marks) == 6 and 2 <= len(labels) <= len(marks)
    estimated = [text_width(t.text, 15) for t in labels]  # the module's conservative guess
    xs = [float(t.get("x")) for t in labels]
    for x, width in zip(xs, estimated):
        assert width / 2 <= x <= WIDTH - width / 2
    for (x0, w0), (x1, w1) in zip(zip(xs, estimated), zip(xs[1:], estimated[1:])):
        assert x1 - x0 >= (w0 + w1) / 2
    # each label names its own tick
    ticks = {float(m.get("x1")): v for m, v in zip(marks, axis_ticks(0, 239_200))}
    texts = {t.text for t in labels}
    assert texts <= {money(int(v)) for v in ticks.values()}
    assert labels[0].text == money(0)
    if len(labels) == len(marks):
        assert xs == sorted(ticks)
