"""The article dialect's newer blocks: bullet lists (tasks) and the chart image line; record
text can make neither."""

from __future__ import annotations

import pytest

from narrator.markdown import escape, parse


def test_list_and_image_blocks() -> None:
    md = ("## What does a baker do?\n\nBakers typically do the following:\n\n- mix dough\n"
          "- bake \\*bread\\*\n\n![Pay of \\[bakers\\]](x-vs-y.pay.svg)\n\nAfter.\n")
    blocks = parse(md)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "list", "image", "paragraph"]
    assert blocks[2].items == ["mix dough", "bake *bread*"]
    assert (blocks[3].text, blocks[3].src) == ("Pay of [bakers]", "x-vs-y.pay.svg")


@pytest.mark.parametrize("text", ["- not a list", "![x](y.svg)", "![x](y)", "-  spaced", "- "])
def test_record_text_makes_no_list_or_image(text: str) -> None:
    blocks = parse(escape(text) + "\n")
    assert [b.kind for b in blocks] == ["paragraph"] and blocks[0].text == " ".join(text.split())
