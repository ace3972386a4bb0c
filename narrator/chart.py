"""A small SVG chart of two jobs' pay: one horizontal bar per job from its 10th to its 90th
percentile annual wage, the mean marked on it, both bars on one shared linear axis.

The SVG is written by hand, so the same input always gives the same bytes: coordinates have one
decimal, nothing depends on fonts being measured, and there is no randomness. It is safe to
inline in an HTML page or a Markdown file:

* every text is plain text, escaped for XML; characters XML 1.0 forbids become U+FFFD;
* runs of spaces, tabs and line breaks in a text become one space, so the document has no
  blank line (a blank line would end a Markdown HTML block and let the rest be read as Markdown);
* no scripts, event-handler attributes, links, ``href`` or external references; no CSS classes
  (a page's stylesheet cannot restyle it by accident); ids all start with ``id_prefix``.

Accessibility: ``role="img"`` with ``aria-labelledby`` naming the ``<title>`` and the ``<desc>``,
which says the numbers in words. The colours are Okabe-Ito blue and vermillion, each at least
3:1 against the white background (WCAG 1.4.11), told apart by position and label as well.

Numbers are formatted by the caller's ``money`` callable (e.g. ``lambda v:
NumberFormat(locale).money(v, currency)``); the few English words can be replaced through
:class:`Wording`.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = [
    "BAR_FILLS",
    "MEAN_FILL",
    "PLOT_LEFT",
    "PLOT_RIGHT",
    "WIDTH",
    "Bar",
    "Wording",
    "axis_ticks",
    "pay_chart",
]

# -- geometry (user units = CSS pixels at the natural size) ---------------------------------
WIDTH = 640
PLOT_LEFT, PLOT_RIGHT = 40.0, 600.0  # the axis; room either side for centred tick labels
TOP = 8            # top of the first row
ROW = 52           # row pitch: label line + bar + gap
LABEL_DY = 10      # row top -> label baseline
BAR_DY = 18        # row top -> bar top
BAR_HEIGHT = 20
MEAN_WIDTH = 3.0
MEAN_OVERHANG = 4  # the mean mark sticks out this far above and below its bar
AXIS_GAP = 4       # last row's bottom edge -> axis line
BOTTOM = 44        # axis line -> bottom edge: tick marks, tick labels, legend
LABEL_SIZE, SMALL_SIZE = 12, 11
MAX_LABEL = 48     # a longer job label is cut (with "…") in the visible line; title/desc keep it
CHAR_WIDTH = 0.6   # a generous average sans-serif advance, in em: when to squeeze a label

# -- colours ---------------------------------------------------------------------------------
BAR_FILLS = ("#0072b2", "#d55e00")  # job A, job B (5.0:1 and 3.6:1 against white)
MEAN_FILL = "#1a1a1a"
TEXT_FILL = "#1a1a1a"
MUTED_FILL = "#555555"
GRID_STROKE = "#e3e3e3"
AXIS_STROKE = "#8c8c8c"
BACKGROUND = "#ffffff"

MAX_INTERVALS = 6
_NICE = (1.0, 2.0, 2.5, 5.0)
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}\Z")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS = re.compile("[\t\n\r ]+")  # not \xa0: money strings keep their no-break spaces


@dataclass(frozen=True)
class Bar:
    """One job's pay range. All amounts are annual, in the currency ``money`` formats."""

    label: str      # the job's plural or title, plain text (not escaped)
    low: float      # 10th percentile
    high: float     # 90th percentile
    mean: float | None
    high_is_lower_bound: bool = False  # BLS top-code: the true 90th percentile is >= high

    def __hash__(self) -> int:
        # A bar keys several caches per chart: its hash is worked out once (frozen, so safe).
        try:
            return self.__dict__["_hash"]
        except KeyError:
            h = hash((self.label, self.low, self.high, self.mean, self.high_is_lower_bound))
            object.__setattr__(self, "_hash", h)
            return h


@dataclass(frozen=True)
class Wording:
    """The chart's words. ``str.format`` templates; the values put in are never re-read as
    templates, so a job label containing braces is safe."""

    line: str = "{label}: {pay}"                      # one job, in the desc and above its bar
    span: str = "{low} to {high}"
    open_span: str = "{low} to {high} or more"        # the 90th percentile is top-coded
    with_mean: str = "{span}, mean {mean}"
    summary: str = "Annual pay, 10th to 90th percentile."  # first sentence of the desc
    legend: str = "Bars: annual pay, 10th to 90th percentile"  # visible, under the axis
    legend_mean: str = "Bars: annual pay, 10th to 90th percentile. Dark marks: mean"

    def __hash__(self) -> int:
        # Keys five caches per chart (as Bar does): worked out once, not from seven strings.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            h = hash((self.line, self.span, self.open_span, self.with_mean, self.summary,
                      self.legend, self.legend_mean))
            object.__setattr__(self, "_hash", h)
            return h


def pay_chart(a: Bar, b: Bar | None, *, money: Callable[[float], str], title: str,
              id_prefix: str = "pay-chart", wording: Wording = Wording()) -> str:
    """The SVG document (no XML declaration; starts with ``<svg``, ends with ``</svg>``, no
    trailing newline), with job *a*'s bar above job *b*'s; *b* may be None for a one-bar chart.

    ValueError if a bar is invalid (an amount negative, NaN or infinite, or low > high) or
    *id_prefix* is not an XML name of ASCII letters, digits, ``_.-``. The ids used are
    ``{id_prefix}-title`` and ``{id_prefix}-desc``.

    *money* gets each bar's amounts as given and each tick value (an ``int`` when whole).
    A mean outside its bar is drawn where it is (with a top-coded 90th percentile the mean can
    exceed it); the axis always covers every amount.
    """
    bars = (a,) if b is None else (a, b)
    for bar in bars:
        _valid(bar)
    if not isinstance(id_prefix, str) or not _ID.match(id_prefix):
        raise ValueError(f"id_prefix {id_prefix!r} is not a valid id (letters, digits, _.-)")

    values = [v for bar in bars for v in (bar.low, bar.high, bar.mean) if v is not None]
    ticks = _ticks(min(values), max(values))
    start, stop = ticks[0], ticks[-1]
    axis_y = TOP + ROW * len(bars) + AXIS_GAP
    # An id is letters, digits and _.- (checked above): nothing in it to escape.
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    head, head_end = _head(len(bars))
    # The parts repeat across a batch (a job's row on the same axis, the same axis for many
    # pairs): each is built once and reused, which is most of a chart's cost.
    return "\n".join([
        f"{head}{title_id} {desc_id}{head_end}",
        f'<title id="{title_id}">{escape(_text(title))}</title>',
        f'<desc id="{desc_id}">{_desc(bars, money, wording)}</desc>',
        _frame(axis_y + BOTTOM),
        _axis(ticks, axis_y, money),
        *[_row(bar, row, start, stop, money, wording) for row, bar in enumerate(bars)],
        _legend(axis_y, wording, a.mean is not None or (b is not None and b.mean is not None)),
        "</svg>",
    ])


@functools.lru_cache(maxsize=4)
def _head(rows: int) -> tuple[str, str]:
    """The opening tag, before and after its ids (joined, not str.format-ed: a format call
    scanned the whole tag on every chart)."""
    height = TOP + ROW * rows + AXIS_GAP + BOTTOM
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="',
            f'" font-family="sans-serif" font-size="{LABEL_SIZE}">')


@functools.lru_cache(maxsize=4)
def _frame(height: int) -> str:
    return f'<rect width="{WIDTH}" height="{height}" fill="{BACKGROUND}"/>'


def _desc(bars: tuple[Bar, ...], money: Callable[[float], str], wording: Wording) -> str:
    # Not cached: unique to a pair, whose chart is made once per render (a cache only missed)
    return escape(" ".join([_text(wording.summary),
                            *(f"{_line(bar, money, wording)}." for bar in bars)]))


@functools.lru_cache(maxsize=16384)
def _ticks(low: float, high: float) -> tuple[float, ...]:
    return tuple(axis_ticks(low, high))


def _x(value: float, start: float, stop: float) -> float:
    return round(PLOT_LEFT + (value - start) / (stop - start) * (PLOT_RIGHT - PLOT_LEFT), 1)


@functools.lru_cache(maxsize=4096)
def _line(bar: Bar, money: Callable[[float], str], wording: Wording) -> str:
    return _text(wording.line.format(label=_plain(bar.label), pay=_pay(bar, money, wording)))


@functools.lru_cache(maxsize=4096)
def _axis(ticks: tuple[float, ...], axis_y: int, money: Callable[[float], str]) -> str:
    """Grid lines, tick marks and tick labels, under the bars. Tick labels are centred on their
    ticks, moved in at the ends to stay inside the chart, and only every n-th is written when
    they are too wide for the gaps (widths are estimated)."""
    start, stop = ticks[0], ticks[-1]
    out = []
    labels = [_text(money(int(t) if t == int(t) else t)) for t in ticks]
    widest = max(_width(label, SMALL_SIZE) for label in labels)
    gap = _x(ticks[1], start, stop) - _x(ticks[0], start, stop)
    every = 1
    while every < len(ticks) - 1 and widest + 8 > gap * every:
        every += 1
    for i, (tick, label) in enumerate(zip(ticks, labels)):
        tx = _n(_x(tick, start, stop))
        out.append(f'<line x1="{tx}" y1="{TOP}" x2="{tx}" y2="{axis_y}" '
                   f'stroke="{GRID_STROKE}" stroke-width="1" shape-rendering="crispEdges"/>')
        out.append(f'<line x1="{tx}" y1="{axis_y}" x2="{tx}" y2="{axis_y + 4}" '
                   f'stroke="{AXIS_STROKE}" stroke-width="1" shape-rendering="crispEdges"/>')
        if i % every:
            continue
        half = _width(label, SMALL_SIZE) / 2 + 2
        lx = min(max(_x(tick, start, stop), half), WIDTH - half)
        out.append(f'<text x="{_n(lx)}" y="{axis_y + 18}" text-anchor="middle" '
                   f'font-size="{SMALL_SIZE}" fill="{MUTED_FILL}">{escape(label)}</text>')
    out.append(f'<line x1="{_n(PLOT_LEFT)}" y1="{axis_y}" x2="{_n(PLOT_RIGHT)}" y2="{axis_y}" '
               f'stroke="{AXIS_STROKE}" stroke-width="1" shape-rendering="crispEdges"/>')
    return "\n".join(out)


@functools.lru_cache(maxsize=8192)
def _row_label(bar: Bar, row: int, money: Callable[[float], str], wording: Wording) -> str:
    visible = wording.line.format(label=_short(_plain(bar.label)), pay=_pay(bar, money, wording))
    return _label(_text(visible), TOP + ROW * row + LABEL_DY)


@functools.lru_cache(maxsize=16384)
def _row(bar: Bar, row: int, start: float, stop: float, money: Callable[[float], str],
         wording: Wording) -> str:
    """One job's label, bar, open end and mean mark."""
    fill = BAR_FILLS[row]
    bar_y = TOP + ROW * row + BAR_DY
    left, right = _x(bar.low, start, stop), _x(bar.high, start, stop)
    width = max(right - left, 1.0)  # a zero-width range is still seen
    out = [_row_label(bar, row, money, wording),
           f'<rect x="{_n(left)}" y="{bar_y}" width="{_n(width)}" '
           f'height="{BAR_HEIGHT}" fill="{fill}"/>']
    if bar.high_is_lower_bound:  # an open end: a chevron pointing on past the bar
        tip, mid = right + 10, bar_y + BAR_HEIGHT / 2
        out.append(f'<path d="M{_n(right + 2)} {bar_y}L{_n(tip)} {_n(mid)}'
                   f'L{_n(right + 2)} {bar_y + BAR_HEIGHT}Z" fill="{fill}"/>')
    if bar.mean is not None:
        out.append(f'<rect x="{_n(_x(bar.mean, start, stop) - MEAN_WIDTH / 2)}" '
                   f'y="{bar_y - MEAN_OVERHANG}" width="{_n(MEAN_WIDTH)}" '
                   f'height="{BAR_HEIGHT + 2 * MEAN_OVERHANG}" fill="{MEAN_FILL}"/>')
    return "\n".join(out)


@functools.lru_cache(maxsize=64)
def _legend(axis_y: int, wording: Wording, has_mean: bool) -> str:
    legend = _text(wording.legend_mean if has_mean else wording.legend)
    return (f'<text x="{_n(PLOT_LEFT)}" y="{axis_y + 38}" font-size="{SMALL_SIZE}" '
            f'fill="{MUTED_FILL}">{escape(legend)}</text>')


def axis_ticks(low: float, high: float) -> list[float]:
    """Round tick values from at or below *low* to at or above *high*: a step of 1, 2, 2.5 or 5
    times a power of ten, the smallest giving at most ``MAX_INTERVALS`` intervals. The step
    is at least 1, so whole-unit money labels never repeat.

    >>> axis_ticks(40_000, 150_000)
    [40000.0, 60000.0, 80000.0, 100000.0, 120000.0, 140000.0, 160000.0]
    >>> axis_ticks(56_020, 239_200)
    [50000.0, 100000.0, 150000.0, 200000.0, 250000.0]
    >>> axis_ticks(0, 0), axis_ticks(5000, 5000)
    ([0.0, 1.0], [5000.0, 5100.0])
    """
    span = high - low
    if span <= 0:
        span = abs(high) / 2 or 1.0
    exponent = max(0, math.floor(math.log10(span / MAX_INTERVALS)))
    while True:
        for m in _NICE:
            step = m * 10.0 ** exponent
            first, last = math.floor(low / step), math.ceil(high / step)
            last = max(last, first + 1)
            if last - first <= MAX_INTERVALS:
                return [(first + i) * step for i in range(last - first + 1)]
        exponent += 1


# -- helpers -----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=8192)  # a job's bar comes back in every pair it is in
def _valid_cached(bar: Bar) -> None:
    _check(bar)


def _valid(bar: Bar) -> None:
    try:
        hash(bar)
    except TypeError:  # not a Bar, or one with a list in it: _check says which
        _check(bar)
    else:
        _valid_cached(bar)


def _check(bar: Bar) -> None:
    if not isinstance(bar, Bar):
        raise ValueError(f"expected a Bar, got {type(bar).__name__}")
    if not isinstance(bar.label, str):
        raise ValueError(f"bar label must be a string, got {type(bar.label).__name__}")
    for name in ("low", "high", "mean"):
        value = getattr(bar, name)
        if value is None and name == "mean":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{bar.label!r}: {name} must be a number, got {value!r}")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{bar.label!r}: {name} must be a finite amount >= 0, got {value!r}")
    if bar.low > bar.high:
        raise ValueError(f"{bar.label!r}: low ({bar.low:g}) is more than high ({bar.high:g})")


def _pay(bar: Bar, money: Callable[[float], str], wording: Wording) -> str:
    low, high = _plain(money(bar.low)), _plain(money(bar.high))
    span = (wording.open_span if bar.high_is_lower_bound else wording.span).format(
        low=low, high=high)
    if bar.mean is None:
        return span
    return wording.with_mean.format(span=span, mean=_plain(money(bar.mean)))


def _plain(text: str) -> str:
    """Text XML can carry, on one line (escaping comes later)."""
    if text.isascii() and text.isprintable() and "  " not in text:  # the usual case, fast
        return text.strip()
    return _BREAKS.sub(" ", _NOT_XML.sub("\ufffd", text)).strip()


_text = _plain  # for templates' output too (a translation may hold a newline)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "\u2026"


def _label(text: str, baseline: int) -> str:
    """A row's label, with a white halo over the grid lines; squeezed (never cut) to fit."""
    room = WIDTH - PLOT_LEFT - 8
    fit = ""
    if _width(text, LABEL_SIZE) > room:
        fit = f' textLength="{_n(room)}" lengthAdjust="spacingAndGlyphs"'
    return (f'<text x="{_n(PLOT_LEFT)}" y="{baseline}" fill="{TEXT_FILL}" stroke="{BACKGROUND}" '
            f'stroke-width="3" stroke-linejoin="round" paint-order="stroke"{fit}>'
            f"{escape(text)}</text>")


def _width(text: str, size: int) -> float:
    """A generous guess at *text*'s width in px (no font is measured, so bytes never vary)."""
    return len(text) * size * CHAR_WIDTH


def _n(value: float) -> str:
    s = f"{value:.1f}"
    return "0.0" if s == "-0.0" else s
