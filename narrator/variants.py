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
``blake2b(page key, slot)`` for the variant's position (so a choice never depends on anything
else: not the order of rendering, the other pages, the worker, ``PYTHONHASHSEED`` or any other
slot). Adding a variant at the end moves about ``1/n`` of the pages, all of them to the new
variant; add new variants at the end, and retire one by weight 0 so positions stay.

The page key is the record id for sections about the pair, the job id for sections about one
job (they are rendered once per job and shared by its pages). ``Variation(first=True)`` (the
``--no-variation`` switch) gives every slot its first eligible variant. Each choice is recorded
(slot -> 1-based position) in ``Variation.chosen``, which the renderer hands to the article.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

#: The context variable that carries the page's Variation.
CONTEXT_NAME = "variation"
_SPAN = 8  # bytes of digest per variant
_PER_DIGEST = 8  # variants served by one 64-byte digest


@dataclass(slots=True)
class Variation:
    """One render's variation state: the page key, the switch, and the choices made."""

    key: str
    first: bool = False  # --no-variation: the first eligible variant everywhere
    chosen: dict[str, int] = field(default_factory=dict)


def scores(key: str, slot: str, weights: list[int]) -> list[float]:
    """The rendezvous score of each variant of ``slot`` for the page ``key`` (0 for weight 0).

    >>> s = scores("baker-vs-cook", "pay_lead", [1, 1, 1]); len(s), s == scores("baker-vs-cook", "pay_lead", [1, 1, 1])
    (3, True)
    """
    out = []
    base = f"{key}\x1f{slot}".encode()
    digest = b""
    for i, weight in enumerate(weights):
        if i % _PER_DIGEST == 0:
            block = i // _PER_DIGEST
            digest = hashlib.blake2b(base + (b"\x1f%d" % block if block else b""),
                                     digest_size=64).digest()
        if weight <= 0:
            out.append(0.0)
            continue
        j = (i % _PER_DIGEST) * _SPAN
        u = (int.from_bytes(digest[j:j + _SPAN], "big") + 0.5) / 2.0**64
        out.append(weight / -math.log(u))
    return out


def choose(key: str, slot: str, weights: list[int], eligible: list[bool], first: bool = False) -> int:
    """The 0-based position of the variant a page gets, or -1 when none is eligible."""
    if first:
        return next((i for i, (w, ok) in enumerate(zip(weights, eligible)) if ok and w > 0), -1)
    best, at = 0.0, -1
    for i, s in enumerate(scores(key, slot, weights)):
        if eligible[i] and s > best:
            best, at = s, i
    return at


class VariantsExtension(Extension):
    """``{% variants "slot" [weight=N] [if EXPR] %} … {% or … %} … {% endvariants %}``."""

    tags = {"variants"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        slot_token = parser.stream.expect("string")
        slot = slot_token.value
        if not re.fullmatch(r"[a-z][a-z0-9_]*", slot):
            parser.fail(f"a variants slot is named in lower case letters, digits and _, not {slot!r}",
                        slot_token.lineno)
        variants: list[tuple[int, nodes.Expr, list[nodes.Node]]] = []
        while True:
            weight, cond = self._options(parser)
            body = parser.parse_statements(("name:or", "name:endvariants"))
            variants.append((weight, cond, body))
            if next(parser.stream).value == "endvariants":
                break
        target = f"narrator_variant_{lineno}_{slot}"
        call = self.call_method("_choose", [
            nodes.ContextReference(), nodes.Const(slot),
            nodes.List([nodes.Const(w) for w, _, _ in variants]),
            nodes.List([c for _, c, _ in variants])], lineno=lineno)

        def pick(i: int) -> nodes.Expr:
            return nodes.Compare(nodes.Name(target, "load"), [nodes.Operand("eq", nodes.Const(i))])

        branches = [nodes.If(pick(i), body, [], [], lineno=lineno)
                    for i, (_, _, body) in enumerate(variants)]
        first = branches[0]
        first.elif_ = branches[1:]
        return [nodes.Assign(nodes.Name(target, "store"), call, lineno=lineno), first]

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

    def _choose(self, context: Any, slot: str, weights: list[int], conds: list[Any],
                **_: Any) -> int:  # Jinja adds _block_vars inside a block
        variation = context.get(CONTEXT_NAME)
        if not isinstance(variation, Variation):  # a template rendered outside a renderer
            variation = Variation("", first=True)
        at = choose(variation.key, slot, weights, [bool(c) for c in conds], variation.first)
        if at >= 0:
            variation.chosen[slot] = at + 1
        return at
