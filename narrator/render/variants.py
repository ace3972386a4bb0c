"""Alternative wordings in templates, chosen per page by rendezvous hashing.

    {% variants "pay_lead" %}Bakers earn more.
    {% or weight=2 %}Pay is higher for bakers.
    {% or if gap.times %}Bakers earn several times as much.
    {% endvariants %}

A slot is a named choice between whole phrasings, each written and reviewed as a whole (never a
word swapped for a synonym). ``weight=N`` (a whole number, default 1; 0 retires a variant
without moving any other) and ``if EXPR`` (the variant is only eligible where EXPR holds) may
follow ``variants "slot"`` and each ``or``. Of the eligible variants the page gets the one with
the highest *rendezvous score*: ``weight / -ln(u)``, where ``u`` is drawn from
(page key, slot, the variant's position): blake2b of the page key, mixed (splitmix64) with
blake2b of (slot, position). So a choice never depends on anything else: not the order of
rendering, the other pages, the worker, ``PYTHONHASHSEED`` or any other slot. Adding a variant
at the end moves about ``1/n`` of the pages, all of them to the new variant; add new variants
at the end, and retire one by weight 0 so positions stay. A slot name is used once per style
(``narrate check`` says where a name is used twice).

The page key is the record id for sections about the pair, the job id for sections about one
job (they are rendered once per job and shared by its pages). ``Variation(first=True)`` (the
``--no-variation`` switch) gives every slot its first eligible variant. Each choice is recorded
(slot -> 1-based position) in ``Variation.chosen``, which the renderer hands to the article.

``read`` finds the slots and their variants in a template's source without compiling it: the
one reader behind the run key (``slots``), `narrate variants` and `narrate check`
(tests/test_variants.py checks it finds what the extension compiles).
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import nodes, pass_context
from jinja2.ext import Extension
from jinja2.parser import Parser

#: The context variable that carries the page's Variation.
CONTEXT_NAME = "variation"
#: The filter a {% variants %} tag compiles to.
FILTER = "narrator_variant"


_MASK = (1 << 64) - 1


def _digest64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


@dataclass(slots=True)
class Variation:
    """One render's variation state: the page key, the switch, and the choices made."""

    key: str
    first: bool = False  # --no-variation: the first eligible variant everywhere
    chosen: dict[str, int] = field(default_factory=dict)
    _seed: int = -1
    _half: int = -1  # seed ^ (seed >> 30): _mix's first step, done once per page (see _choose)

    @property
    def seed(self) -> int:
        """blake2b of the key: hashed once per page (when its first slot is met), then mixed
        with each slot's constants."""
        if self._seed < 0:
            seed = self._seed = _digest64(self.key.encode())
            self._half = seed ^ (seed >> 30)
        return self._seed


@functools.lru_cache(maxsize=4096)
def _constants(slot: str, n: int) -> tuple[int, ...]:
    """Per (slot, variant position): a 64-bit constant, blake2b of the slot name and position
    (the same for a position whatever the number of variants)."""
    return tuple(_digest64(f"{slot}\x1f{i}".encode()) for i in range(n))


def _mix(x: int) -> int:
    """splitmix64's finaliser: a bijection of 64-bit integers that scatters every input bit."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def draws(seed: int, slot: str, n: int) -> list[int]:
    """The 64-bit draw of each of ``n`` variant positions of ``slot`` for a page (``seed``): a
    function of (page key, slot, position) only."""
    return [_mix(seed ^ c) for c in _constants(slot, n)]


_BELOW_ONE = math.nextafter(1.0, 0.0)


def _u(d: int) -> float:
    """A 64-bit draw scaled into (0, 1): a draw within 2**10 of the top would round to 1.0,
    whose log, 0, would divide by zero; it is the largest float below 1 instead."""
    return min((d + 0.5) / 2.0**64, _BELOW_ONE)


def scores(key: str, slot: str, weights: list[int]) -> list[float]:
    """The rendezvous score of each variant of ``slot`` for the page ``key`` (0 for weight 0):
    ``weight / -ln(u)``, ``u`` the variant's draw scaled into (0, 1).

    >>> s = scores("baker-vs-cook", "pay_lead", [1, 1, 1])
    >>> len(s), s == scores("baker-vs-cook", "pay_lead", [1, 1, 1])
    (3, True)
    """
    out = []
    for weight, d in zip(weights, draws(_digest64(key.encode()), slot, len(weights))):
        out.append(weight / -math.log(_u(d)) if weight > 0 else 0.0)
    return out


def choose(key: str | int, slot: str, weights: list[int], eligible: list[bool],
           first: bool = False) -> int:
    """The 0-based position of the variant a page (its key, or its ``Variation.seed``) gets, or
    -1 when none is eligible."""
    if first:
        return next((i for i, (w, ok) in enumerate(zip(weights, eligible)) if ok and w > 0), -1)
    seed = key if isinstance(key, int) else _digest64(key.encode())
    ds = draws(seed, slot, len(weights))
    live = [i for i, (w, ok) in enumerate(zip(weights, eligible)) if ok and w > 0]
    if not live:
        return -1
    w0 = weights[live[0]]
    if all(weights[i] == w0 for i in live):  # equal weights: the largest draw wins (no logs)
        return max(live, key=ds.__getitem__)
    return max(live, key=lambda i: weights[i] / -math.log(_u(ds[i])))


class VariantsExtension(Extension):
    """``{% variants "slot" [weight=N] [if EXPR] %} … {% or … %} … {% endvariants %}``."""

    tags = {"variants"}  # noqa: RUF012 (Jinja's Extension API: a class attribute)

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.filters[FILTER] = _choose

    def parse(self, parser: Parser) -> list[nodes.Node]:
        lineno = next(parser.stream).lineno
        slot_token = parser.stream.expect("string")
        slot = slot_token.value
        if not re.fullmatch(r"[a-z][a-z0-9_]*", slot):
            parser.fail("a variants slot is named in lower case letters, digits and _, "
                        f"not {slot!r}", slot_token.lineno)
        variants: list[tuple[int, nodes.Expr, list[nodes.Node]]] = []
        while True:
            weight, cond = self._options(parser)
            body = parser.parse_statements(("name:or", "name:endvariants"))
            variants.append((weight, cond, body))
            if next(parser.stream).value == "endvariants":
                break
        # An internal name, not a template variable: a plain Python local, so the block
        # doesn't look it up in the context first nor export it (a Name did both, per page).
        target = parser.free_identifier(lineno)
        weights = [w for w, _, _ in variants]
        uniform = len(set(weights)) == 1 and weights[0] > 0
        # A filter, not a call: Jinja binds filters when it loads the template and calls them
        # directly, where a call goes through the sandbox's checks on every page.
        # With equal weights the constants go in pre-shifted (see _choose); else as they are.
        consts = _constants(slot, len(variants))
        call = nodes.Filter(nodes.Const(slot), FILTER, [
            nodes.Const(tuple(weights)), nodes.List([c for _, c, _ in variants]),
            nodes.Const(tuple(c ^ (c >> 30) for c in consts) if uniform else consts),
            nodes.Const(uniform)], [], None, None, lineno=lineno)

        def pick(i: int) -> nodes.Expr:
            return nodes.Compare(target, [nodes.Operand("eq", nodes.Const(i))])

        branches = [nodes.If(pick(i), body, [], [], lineno=lineno)
                    for i, (_, _, body) in enumerate(variants)]
        first = branches[0]
        first.elif_ = branches[1:]
        return [nodes.Assign(target, call, lineno=lineno), first]

    def _options(self, parser: Parser) -> tuple[int, nodes.Expr]:
        weight: int = 1
        cond: nodes.Expr = nodes.Const(True)
        stream = parser.stream
        while stream.current.type != "block_end":
            if stream.skip_if("name:weight"):
                stream.expect("assign")
                token = stream.expect("integer")
                weight = int(token.value)
            elif stream.skip_if("name:if"):
                cond = parser.parse_expression()
            else:
                parser.fail("expected weight=N or if CONDITION in a variants tag",
                            stream.current.lineno)
        return weight, cond


@pass_context
def _choose(context: Any, slot: str, weights: tuple[int, ...], conds: list[Any],
            consts: tuple[int, ...], uniform: bool) -> int:
    """The position of the variant this page gets (-1: none eligible), recorded in the
    page's Variation. With equal weights the largest draw wins, as ``choose`` says, and
    ``consts`` are ``_constants(slot, n)`` each xor-ed with itself shifted right by 30 (computed
    when the template was compiled): _mix's first step distributes over the xor with the seed,
    ``(s ^ c) ^ ((s ^ c) >> 30) == (s ^ s >> 30) ^ (c ^ c >> 30)``, so half of it is done once
    per page (``Variation._half``) and half once per template; this runs for every slot of
    every page. Otherwise ``consts`` are the constants themselves (unused: ``choose`` makes
    its own)."""
    variation = context.parent.get(CONTEXT_NAME)  # the renderer's, never a template's
    if not isinstance(variation, Variation):  # a template rendered outside a renderer
        variation = Variation("", first=True)
    if variation.first or not uniform:
        at = choose(variation.seed, slot, list(weights), [bool(c) for c in conds],
                    variation.first)
    else:
        half = variation._half
        if half < 0:
            variation.seed  # noqa: B018 (sets _half)
            half = variation._half
        at, best, i = -1, -1, 0
        for c, ok in zip(consts, conds):
            if ok:  # the rest of _mix, inlined
                x = ((half ^ c) * 0xBF58476D1CE4E5B9) & _MASK
                x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
                x ^= x >> 31
                if x > best:
                    at, best = i, x
            i += 1
    if at >= 0:
        variation.chosen[slot] = at + 1
    return at


# Reading {% variants %} from a template's source: the one reader that finds the slots and
# their variants without compiling (the run key's masking in ``slots``, `narrate variants`,
# `narrate check`). It reads with Jinja's own lexer, set up as the renderer's environment (its
# settings decide where data ends and a tag begins; tests/test_incremental.py checks they
# agree), so strings, comments, raw blocks and whitespace control are as Jinja sees them.

LEXER = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
LEXER_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string",
                  "variable_end_string", "comment_start_string", "comment_end_string",
                  "line_statement_prefix", "line_comment_prefix", "trim_blocks",
                  "lstrip_blocks", "keep_trailing_newline", "newline_sequence")
# Tags that open a block ended by "end<name>" ("set" only in its block form).
_OPENERS = frozenset({"if", "for", "block", "macro", "call", "filter", "with", "autoescape",
                      "trans", "set", "variants"})

Token = tuple[str, str]  # (type, text as written), as Jinja's lexer gives them


class Unbalanced(jinja2.TemplateSyntaxError):
    """Tags that do not nest (Jinja's parser refuses the template too)."""


@dataclass
class Tag:
    """One ``{% … %}`` tag."""

    name: str  # its first word ("" if it starts with something else)
    begin: int  # the index of its ``{%`` in ``Reading.tokens``
    end: int  # the index of its ``%}``
    enclosing: tuple[str, ...]  # the tags open around it, outermost first

    @property
    def inner(self) -> range:
        """The indexes of its tokens after its name."""
        return range(self.begin + 2, self.end)


@dataclass
class SlotSource:
    """One ``{% variants "slot" %} … {% or %} … {% endvariants %}`` as written."""

    slot: str
    line: int
    tags: list[Tag]  # its variants tag, each or, its endvariants
    inside: set[str] = field(default_factory=set)  # the tags in its bodies, its own included

    def options(self) -> list[range]:
        """Each variant's weight/if tokens (indexes in ``Reading.tokens``)."""
        first = self.tags[0].inner
        return [first[1:], *(t.inner for t in self.tags[1:-1])]

    def bodies(self) -> list[range]:
        """Each variant's body: the indexes of its tokens."""
        return [range(a.end + 1, b.begin) for a, b in zip(self.tags, self.tags[1:])]


@dataclass
class Written:
    """One variant as a copy editor wrote it."""

    weight: int
    condition: str | None  # the source of its ``if`` expression
    text: str  # its body's source, without the newlines around it


@dataclass
class Reading:
    """A template's source as Jinja's lexer reads it: its tokens, tags and variants slots."""

    source: str  # newlines as Jinja reads them ("\n")
    tokens: list[Token]  # whitespace inside tags left out
    offsets: list[int]  # where each token starts in ``source``
    lines: list[int]  # each token's line
    tags: list[Tag]
    slots: list[SlotSource]  # in source order: an outer slot before the slots in its bodies

    def written(self, found: SlotSource) -> list[Written]:
        """Each variant of ``found``: its weight, condition and text."""
        out = []
        for opts, (a, b) in zip(found.options(), zip(found.tags, found.tags[1:])):
            weight, cond = self._options(opts)
            end = self.offsets[a.end] + self.tokens[a.end][1].index(LEXER.block_end_string)
            text = self.source[end + len(LEXER.block_end_string):self.offsets[b.begin]]
            out.append(Written(weight, cond, text.strip("\n")))
        return out

    def _options(self, at: range) -> tuple[int, str | None]:
        """``weight=N`` and ``if EXPR`` as the extension reads them (EXPR runs to the tag's
        end or to a ``weight=``)."""
        toks, weight, cond, i = self.tokens, 1, None, at.start
        while i < at.stop:
            if toks[i] == ("name", "weight") and toks[i + 1:i + 2] == [("operator", "=")]:
                if i + 2 >= at.stop or toks[i + 2][0] != "integer":
                    raise jinja2.TemplateSyntaxError("expected weight=N", self.lines[i])
                weight, i = int(toks[i + 2][1], 0), i + 3
            elif toks[i] == ("name", "if"):
                j = i + 1
                while j < at.stop and not (toks[j] == ("name", "weight") and
                                           toks[j + 1:j + 2] == [("operator", "=")]):
                    j += 1
                if j > i + 1:
                    stop = self.offsets[j - 1] + len(toks[j - 1][1])
                    cond = self.source[self.offsets[i + 1]:stop].strip()
                i = j
            else:
                i += 1
        return weight, cond


def read(source: str) -> Reading:
    """The tokens, tags and variants slots of a template's source. Raises Jinja's
    TemplateSyntaxError where Jinja's lexer does, and where tags do not nest.

    >>> [s.slot for s in read('{% variants "a" %}x{% variants "b" %}y{% endvariants %}'
    ...                       '{% or %}z{% endvariants %}').slots]
    ['a', 'b']
    """
    text = re.sub(r"\r\n?", "\n", source)
    tokens: list[Token] = []
    offsets: list[int] = []
    lines: list[int] = []
    at = 0
    for lineno, typ, value in LEXER.lex(text):
        # Data the lexer trimmed (whitespace control) is only ever cut at its end, and a
        # tag's "-%}" keeps the whitespace it eats: so data starts where the last token
        # ended, and anything else at the next place its text is written.
        start = at if typ == "data" else text.find(value, at)
        at = start + len(value)
        if typ != "whitespace":
            tokens.append((typ, value))
            offsets.append(start)
            lines.append(lineno)
    try:
        tags, slots = _tags(tokens, lines)
    except IndexError:  # a tag the lexer let through unclosed
        raise Unbalanced("a tag is not closed", lines[-1] if lines else 1) from None
    return Reading(text, tokens, offsets, lines, tags, slots)


def _tags(toks: list[Token], lines: list[int]) -> tuple[list[Tag], list[SlotSource]]:
    tags: list[Tag] = []
    stack: list[str] = []
    open_slots: list[SlotSource] = []
    done: list[SlotSource] = []
    i = 0
    while i < len(toks):
        if toks[i][0] != "block_begin":
            i += 1
            continue
        j = i + 1
        while toks[j][0] != "block_end":
            j += 1
        name = toks[i + 1][1] if toks[i + 1][0] == "name" else ""
        tag = Tag(name, i, j, tuple(stack))
        tags.append(tag)
        for s in open_slots:
            s.inside.add(name)
        inner = toks[i + 2:j]
        if name == "variants":
            if not inner or inner[0][0] != "string":
                raise Unbalanced("a variants tag names its slot in quotes", lines[i])
            open_slots.append(SlotSource(inner[0][1][1:-1], lines[i], [tag], {name}))
            stack.append(name)
        elif name in ("or", "endvariants"):
            if not stack or stack[-1] != "variants":
                raise Unbalanced(f"'{name}' outside a variants tag", lines[i])
            open_slots[-1].tags.append(tag)
            if name == "endvariants":
                stack.pop()
                done.append(open_slots.pop())
        elif name in _OPENERS and not (name == "set" and ("operator", "=") in inner):
            stack.append(name)
        elif name.startswith("end") and (not stack or stack.pop() != name[3:]):
            raise Unbalanced(f"'{name}' does not close the tag open here", lines[i])
        i = j + 1
    if stack:
        raise Unbalanced(f"'{stack[-1]}' is never closed", lines[-1] if lines else 1)
    return tags, sorted(done, key=lambda s: s.tags[0].begin)
