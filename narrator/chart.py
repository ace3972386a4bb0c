"""A small SVG chart of two jobs' pay: one horizontal bar per job from its 10th to its 90th
percentile annual wage, its average (the mean) and, where known, its median marked on it, both
bars on one shared linear axis.

**Size.** The drawing is ``WIDTH`` user units wide (``viewBox``), and that is also its natural
size in CSS pixels (``width``/``height``: an ``<img>`` of the file has a size, a page reserves
its room before it loads). A ``style`` on the root makes it fluid: ``width:100%`` of its
container, at most ``max-width:560px``, ``height:auto`` (the viewBox keeps the proportions).
Inline in a page it is 560 px wide in a 610 px WordPress column and scales down to a phone's
width; nothing is cut off and nothing overflows.

**Labels are never cut.** Each job's name (the renderer passes the short name) is on its own
line above its bar, the figures on the next; a line whose estimated width would pass the
chart's inner width is wrapped at a space. Widths are estimated from a conservative
per-character table (at least DejaVu Sans' advance, the widest common sans-serif: no font is
measured, so the bytes never vary). Only a single word wider than the whole chart is squeezed
(``textLength``) rather than wrapped; it is never cut.

**Axis rule.** The axis always starts at 0 and ends at the first round tick at or above the
highest amount drawn (a step of 1, 2, 2.5 or 5 times a power of ten, at most
``MAX_INTERVALS`` intervals): every page's bars are read from the same origin.

**Words.** The mean is called "average" and the median "median", as the article's text calls
them; the visible legend draws each mark beside its word.

The SVG is written by hand, so the same input always gives the same bytes: coordinates have one
decimal, nothing depends on fonts being measured, and there is no randomness. It is safe to
inline in an HTML page or a Markdown file:

* every text is plain text, escaped for XML; characters XML 1.0 forbids become U+FFFD;
* runs of spaces, tabs and line breaks in a text become one space, so the document has no
  blank line (a blank line would end a Markdown HTML block and let the rest be read as Markdown);
* no scripts, event-handler attributes, links, ``href`` or external references; no CSS classes
  (a page's stylesheet cannot restyle it by accident) and one fixed ``style``, the sizing
  above; ids all start with ``id_prefix``.

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
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "BAR_FILLS",
    "MEAN_FILL",
    "MEDIAN_FILL",
    "PLOT_LEFT",
    "PLOT_RIGHT",
    "STYLE",
    "WIDTH",
    "Bar",
    "Wording",
    "axis_ticks",
    "pay_chart",
    "text_width",
    "wrap",
]


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities, as ``xml.sax.saxutils.escape`` writes them
    (importing that pulls in urllib, http and email: a tenth of a one-article run's start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

# -- geometry (user units = CSS pixels at the natural size) ---------------------------------
WIDTH = 560
STYLE = f"width:100%;max-width:{WIDTH}px;height:auto"  # fluid, never wider than its natural size
PAD = 10           # left and right margin of every text
ROOM = WIDTH - 2 * PAD  # the widest a text line may be
PLOT_LEFT, PLOT_RIGHT = 44.0, 516.0  # the axis; room either side for centred tick labels
TOP = 6            # top of the first row
NAME_SIZE, SMALL_SIZE = 18, 15  # a job's name; figures, tick labels and legend
NAME_LINE, SMALL_LINE = 22, 19  # line pitches
BAR_GAP = 8        # a row's last text baseline -> its bar's top
BAR_HEIGHT = 20
ROW_GAP = 14       # a bar's bottom -> the next row's top
AXIS_GAP = 8       # the last bar's bottom -> the axis line
MEAN_WIDTH = 3.0
MEAN_OVERHANG = 4  # the mean mark sticks out this far above and below its bar
MEDIAN_HALF = 6.0, 8.0  # the median diamond's half width and half height

# -- colours ---------------------------------------------------------------------------------
BAR_FILLS = ("#0072b2", "#d55e00")  # job A, job B (5.0:1 and 3.6:1 against white)
MEAN_FILL = "#1a1a1a"
MEDIAN_FILL = "#ffffff"  # a white diamond outlined in MEDIAN_STROKE
MEDIAN_STROKE = "#1a1a1a"
TEXT_FILL = "#1a1a1a"
MUTED_FILL = "#555555"
GRID_STROKE = "#e3e3e3"
AXIS_STROKE = "#8c8c8c"
BACKGROUND = "#ffffff"

MAX_INTERVALS = 5
_NICE = (1.0, 2.0, 2.5, 5.0)
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}\Z")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS = re.compile("[\t\n\r ]+")  # not \xa0: money strings keep their no-break spaces

# Advance widths in em, each at least DejaVu Sans' (wider than Arial, Helvetica and Liberation
# Sans): i 0.28, space 0.32, r 0.41, lowercase and digits up to 0.64, capitals up to 0.79,
# M 0.86, W 0.99. Anything else not ASCII counts 1 em.
_EM = {**{c: 0.66 for c in map(chr, range(32, 127))},
       **{c: 0.34 for c in "ijlI.,:;'|`"},
       **{c: 0.45 for c in " frt()[]-/!"},
       **{c: 0.80 for c in "ABCDEFGHJKLNOPQRSTUVXYZ&"},
       **{c: 1.0 for c in "mwMW@%"}}


@dataclass(frozen=True)
class Bar:
    """One job's pay range. All amounts are annual, in the currency ``money`` formats."""

    label: str      # the job's (short) name, plain text (not escaped)
    low: float      # 10th percentile
    high: float     # 90th percentile
    mean: float | None  # shown as "average", the article's word for it
    high_is_lower_bound: bool = False  # BLS top-code: the true 90th percentile is >= high
    median: float | None = None  # the 50th percentile, marked with a diamond

    def __hash__(self) -> int:
        # A bar keys several caches per chart: its hash is worked out once (frozen, so safe).
        try:
            return self.__dict__["_hash"]
        except KeyError:
            h = hash((self.label, self.low, self.high, self.mean, self.high_is_lower_bound,
                      self.median))
            object.__setattr__(self, "_hash", h)
            return h


@dataclass(frozen=True)
class Wording:
    """The chart's words. ``str.format`` templates; the values put in are never re-read as
    templates, so a job label containing braces is safe. "average" and "median" are the
    article text's words for the mean and the median."""

    line: str = "{label}: {pay}"                      # one job, in the desc
    span: str = "{low} to {high}"
    open_span: str = "{low} to {high} or more"        # the 90th percentile is top-coded
    with_median: str = "{span}, median {median}"
    with_mean: str = "{span}, average {mean}"
    summary: str = "Annual pay, 10th to 90th percentile."  # first sentence of the desc
    legend: str = "Bars: annual pay, 10th to 90th percentile"  # visible, under the axis
    median_key: str = "median"    # beside the legend's diamond
    mean_key: str = "average"     # beside the legend's dark mark

    def __hash__(self) -> int:
        # Keys several caches per chart (as Bar does): worked out once, not from nine strings.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            h = hash((self.line, self.span, self.open_span, self.with_median, self.with_mean,
                      self.summary, self.legend, self.median_key, self.mean_key))
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
    A mean or median outside its bar is drawn where it is (with a top-coded 90th percentile
    the mean can exceed it); the axis runs from 0 and always covers every amount.
    """
    bars = (a,) if b is None else (a, b)
    for bar in bars:
        _valid(bar)
    if not isinstance(id_prefix, str) or not _ID.match(id_prefix):
        raise ValueError(f"id_prefix {id_prefix!r} is not a valid id (letters, digits, _.-)")

    values = [v for bar in bars for v in (bar.low, bar.high, bar.mean, bar.median)
              if v is not None]
    ticks = _ticks(max(values))
    start, stop = ticks[0], ticks[-1]
    rows, y = [], TOP
    # The parts repeat across a batch (a job's row at the same place on the same axis, the same
    # axis for many pairs): each is built once and reused, which is most of a chart's cost.
    for row, bar in enumerate(bars):
        markup, bottom = _row(bar, row, y, start, stop, money, wording)
        rows.append(markup)
        y = bottom + ROW_GAP
    axis_y = y - ROW_GAP + AXIS_GAP
    legend, height = _legend(axis_y, wording, any(bar.mean is not None for bar in bars),
                             any(bar.median is not None for bar in bars))
    # An id is letters, digits and _.- (checked above): nothing in it to escape.
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    head, head_end = _head(height)
    return "\n".join([
        f"{head}{title_id} {desc_id}{head_end}",
        f'<title id="{title_id}">{escape(_text(title))}</title>',
        f'<desc id="{desc_id}">{_desc(bars, money, wording)}</desc>',
        _frame(height),
        _axis(ticks, axis_y, money),
        *rows,
        legend,
        "</svg>",
    ])


@functools.lru_cache(maxsize=16)
def _head(height: int) -> tuple[str, str]:
    """The opening tag, before and after its ids (joined, not str.format-ed: a format call
    scanned the whole tag on every chart)."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" style="{STYLE}" role="img" aria-labelledby="',
            f'" font-family="sans-serif" font-size="{SMALL_SIZE}">')


@functools.lru_cache(maxsize=16)
def _frame(height: int) -> str:
    return f'<rect width="{WIDTH}" height="{height}" fill="{BACKGROUND}"/>'


def _desc(bars: tuple[Bar, ...], money: Callable[[float], str], wording: Wording) -> str:
    # Not cached: unique to a pair, whose chart is made once per render (a cache only missed)
    return escape(" ".join([_text(wording.summary),
                            *(f"{_line(bar, money, wording)}." for bar in bars)]))


@functools.lru_cache(maxsize=1024)
def _ticks(high: float) -> tuple[float, ...]:
    """The axis rule: from 0 to the first round tick at or above *high*."""
    return tuple(axis_ticks(0.0, high))


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
    widest = max(text_width(label, SMALL_SIZE) for label in labels)
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
        width = text_width(label, SMALL_SIZE)
        half = min(width, ROOM) / 2 + 2
        lx = min(max(_x(tick, start, stop), half), WIDTH - half)
        fit = _squeeze(width, ROOM)
        out.append(f'<text x="{_n(lx)}" y="{axis_y + 21}" text-anchor="middle" '
                   f'fill="{MUTED_FILL}"{fit}>{escape(label)}</text>')
    out.append(f'<line x1="{_n(PLOT_LEFT)}" y1="{axis_y}" x2="{_n(PLOT_RIGHT)}" y2="{axis_y}" '
               f'stroke="{AXIS_STROKE}" stroke-width="1" shape-rendering="crispEdges"/>')
    return "\n".join(out)


@functools.lru_cache(maxsize=8192)
def _row_lines(bar: Bar, money: Callable[[float], str], wording: Wording
               ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The job's name and its figures, each wrapped to the chart's width."""
    return (wrap(_plain(bar.label), NAME_SIZE),
            wrap(_text(_pay(bar, money, wording)), SMALL_SIZE, ROOM, ", "))


@functools.lru_cache(maxsize=16384)
def _row(bar: Bar, row: int, top: int, start: float, stop: float, money: Callable[[float], str],
         wording: Wording) -> tuple[str, int]:
    """One job's name, figures, bar, open end, mean and median marks; and the bar's bottom."""
    names, figures = _row_lines(bar, money, wording)
    out = []
    baseline = top + NAME_SIZE - 1
    for i, line in enumerate(names):
        if i:
            baseline += NAME_LINE
        out.append(_label(line, baseline, NAME_SIZE, TEXT_FILL))
    for line in figures:
        baseline += SMALL_LINE
        out.append(_label(line, baseline, SMALL_SIZE, TEXT_FILL))
    fill = BAR_FILLS[row]
    bar_y = baseline + BAR_GAP
    left, right = _x(bar.low, start, stop), _x(bar.high, start, stop)
    width = max(right - left, 1.0)  # a zero-width range is still seen
    out.append(f'<rect x="{_n(left)}" y="{bar_y}" width="{_n(width)}" '
               f'height="{BAR_HEIGHT}" fill="{fill}"/>')
    if bar.high_is_lower_bound:  # an open end: a chevron pointing on past the bar
        tip, mid = right + 10, bar_y + BAR_HEIGHT / 2
        out.append(f'<path d="M{_n(right + 2)} {bar_y}L{_n(tip)} {_n(mid)}'
                   f'L{_n(right + 2)} {bar_y + BAR_HEIGHT}Z" fill="{fill}"/>')
    if bar.mean is not None:
        out.append(_mean_mark(_x(bar.mean, start, stop), bar_y - MEAN_OVERHANG,
                              BAR_HEIGHT + 2 * MEAN_OVERHANG))
    if bar.median is not None:  # drawn last: on top of a mean mark at the same amount
        out.append(_median_mark(_x(bar.median, start, stop), bar_y + BAR_HEIGHT / 2))
    return "\n".join(out), bar_y + BAR_HEIGHT


def _mean_mark(x: float, y: float, height: float) -> str:
    return (f'<rect x="{_n(x - MEAN_WIDTH / 2)}" y="{_n(y)}" width="{_n(MEAN_WIDTH)}" '
            f'height="{_n(height)}" fill="{MEAN_FILL}"/>')


def _median_mark(x: float, mid: float) -> str:
    """A diamond centred on (x, mid): white, outlined, so it shows on both bars and on white."""
    w, h = MEDIAN_HALF
    return (f'<path d="M{_n(x)} {_n(mid - h)}L{_n(x + w)} {_n(mid)}L{_n(x)} {_n(mid + h)}'
            f'L{_n(x - w)} {_n(mid)}Z" fill="{MEDIAN_FILL}" stroke="{MEDIAN_STROKE}" '
            f'stroke-width="1.5" stroke-linejoin="miter"/>')


@functools.lru_cache(maxsize=64)
def _legend(axis_y: int, wording: Wording, has_mean: bool, has_median: bool
            ) -> tuple[str, int]:
    """What the bars are, then each mark drawn beside its word (median first, as the text
    leads with it): on the legend's last line when they fit there, else on a line of their
    own. Returns the markup and the chart's height."""
    lines = wrap(_text(wording.legend), SMALL_SIZE)
    keys = [(kind, _text(word)) for kind, word, shown in
            (("median", wording.median_key, has_median), ("mean", wording.mean_key, has_mean))
            if shown]
    keys_width = sum(16 + text_width(word, SMALL_SIZE) + 14 for _, word in keys)
    baseline = axis_y + 44
    out = []
    for i, line in enumerate(lines):
        if i:
            baseline += SMALL_LINE
        out.append(_label(line, baseline, SMALL_SIZE, MUTED_FILL, halo=False))
    x = PAD + text_width(lines[-1], SMALL_SIZE) + 14
    if keys and x + keys_width > WIDTH - PAD:
        baseline += SMALL_LINE + 2
        x = PAD
    for kind, word in keys:
        mid = baseline - 5
        if kind == "median":
            out.append(_median_mark(x + MEDIAN_HALF[0], mid))
        else:
            out.append(_mean_mark(x + MEAN_WIDTH / 2 + 2, mid - 8, 16))
        out.append(f'<text x="{_n(x + 16)}" y="{baseline}" fill="{MUTED_FILL}"'
                   f'{_squeeze(text_width(word, SMALL_SIZE), ROOM - 16)}>{escape(word)}</text>')
        x += 16 + text_width(word, SMALL_SIZE) + 14
    return "\n".join(out), baseline + 8


def axis_ticks(low: float, high: float) -> list[float]:
    """Round tick values from at or below *low* to at or above *high*: a step of 1, 2, 2.5 or 5
    times a power of ten, the smallest giving at most ``MAX_INTERVALS`` intervals. The step
    is at least 1, so whole-unit money labels never repeat. (The chart calls it with *low* 0.)

    >>> axis_ticks(0, 144_090)
    [0.0, 50000.0, 100000.0, 150000.0]
    >>> axis_ticks(0, 239_200)
    [0.0, 50000.0, 100000.0, 150000.0, 200000.0, 250000.0]
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


@functools.lru_cache(maxsize=65536)
def text_width(text: str, size: float) -> float:
    """A conservative estimate of *text*'s width in px at *size* px (see ``_EM``): at least what
    DejaVu Sans, Arial or Helvetica draw. No font is measured, so the bytes never vary."""
    em = 0.0
    for ch in text:
        w = _EM.get(ch)
        if w is None:
            w = 0.45 if ch in "\xa0\u202f\u2009" else 1.0
            if unicodedata.combining(ch):
                w = 0.0
        em += w
    return em * size


@functools.lru_cache(maxsize=16384)
def wrap(text: str, size: float, room: float = ROOM, at: str = " ") -> tuple[str, ...]:
    """*text* in lines no wider than *room* px by ``text_width``, broken only after the
    separator *at* (", " keeps "average $89,220" together) and, in a part still too wide, at
    spaces: never inside a word, nor at a no-break space. A single word wider than *room*
    stays whole on its own line (the chart squeezes that line to fit). At least one line."""
    parts = text.split(at)
    if at != " ":
        joiner = at.rstrip(" ")  # the separator's own text ends the line it is broken after
        parts = [p + joiner if i < len(parts) - 1 else p for i, p in enumerate(parts)]
        if any(text_width(p, size) > room for p in parts):
            return wrap(text, size, room)
    lines: list[str] = []
    current = ""
    for part in parts:
        joined = f"{current} {part}" if current else part
        if current and text_width(joined, size) > room:
            lines.append(current)
            current = part
        else:
            current = joined
    lines.append(current)
    return tuple(lines)


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
    for name in ("low", "high", "mean", "median"):
        value = getattr(bar, name)
        if value is None and name in ("mean", "median"):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{bar.label!r}: {name} must be a number, got {value!r}")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{bar.label!r}: {name} must be a finite amount >= 0, got {value!r}")
    if bar.low > bar.high:
        raise ValueError(f"{bar.label!r}: low ({bar.low:g}) is more than high ({bar.high:g})")


def _pay(bar: Bar, money: Callable[[float], str], wording: Wording) -> str:
    low, high = _plain(money(bar.low)), _plain(money(bar.high))
    pay = (wording.open_span if bar.high_is_lower_bound else wording.span).format(
        low=low, high=high)
    if bar.median is not None:
        pay = wording.with_median.format(span=pay, median=_plain(money(bar.median)))
    if bar.mean is not None:
        pay = wording.with_mean.format(span=pay, mean=_plain(money(bar.mean)))
    return pay


def _plain(text: str) -> str:
    """Text XML can carry, on one line (escaping comes later)."""
    if text.isascii() and text.isprintable() and "  " not in text:  # the usual case, fast
        return text.strip()
    return _BREAKS.sub(" ", _NOT_XML.sub("\ufffd", text)).strip()


_text = _plain  # for templates' output too (a translation may hold a newline)


def _squeeze(width: float, room: float) -> str:
    """The attributes that fit a text estimated *width* px wide into *room* px (squeezed, never
    cut), or none when it fits."""
    if width <= room:
        return ""
    return f' textLength="{_n(room)}" lengthAdjust="spacingAndGlyphs"'


def _label(text: str, baseline: int, size: int, fill: str, halo: bool = True) -> str:
    """A left-aligned line, over the grid lines with a white halo; a line wider than the chart
    (one word too long to wrap) is squeezed to fit, never cut."""
    size_attr = "" if size == SMALL_SIZE else f' font-size="{size}"'
    halo_attr = (f' stroke="{BACKGROUND}" stroke-width="3" stroke-linejoin="round" '
                 f'paint-order="stroke"' if halo else "")
    return (f'<text x="{PAD}" y="{baseline}"{size_attr} fill="{fill}"{halo_attr}'
            f"{_squeeze(text_width(text, size), ROOM)}>{escape(text)}</text>")


def _n(value: float) -> str:
    s = f"{value:.1f}"
    return "0.0" if s == "-0.0" else s
