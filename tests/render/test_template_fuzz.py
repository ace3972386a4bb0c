"""Fuzzing the sandbox: random template expressions built from its filters and operators give
output or a one-line error, within the time and memory limits, never past the length limit.

Each example is compiled and rendered as an override template is in a run (the user's folder,
``get_template``'s guard, ``limits.limited``); the hypothesis search keeps sizes near the limits
(widths of 7+ digits, strings of a megabyte, ranges at the sandbox's maximum)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrator.errors import NarratorError
from narrator.formatting import NumberFormat
from narrator.render.environment import environment, get_template
from narrator.render.limits import limited

LIMIT = 1 << 20  # the sandbox's MAX_LENGTH, restated: the property is about the number

ATOMS = ["0", "1", "2", "3", "7", "40", "1000", "65536", "99999", "1048577", "99999999",
         "-5", "2.5", "none", "true", "'x'", "'ab'", "'%s'", "'%d'", "'%0999999999d'", "'%*d'",
         "'%.*f'", "'{}'", "'{:>99999999}'", "'{:{}}'", "'a\\nb'", "[1, 2]", "['x', 'y']",
         "range(3)", "range(100000)", "a", "b"]
BINARY = ["*", "+", "~", "**", "%", "//", "-"]
# (filter, how many arguments): the sandbox's size-checked ones and the ones that build values
FILTERS = [("format", 1), ("format", 2), ("replace", 2), ("center", 1), ("indent", 1),
           ("indent", 2), ("join", 0), ("join", 1), ("list", 0), ("string", 0), ("sum", 0),
           ("wordwrap", 1), ("truncate", 1), ("upper", 0), ("reverse", 0), ("batch", 1),
           ("slice", 1), ("unique", 0), ("length", 0), ("first", 0), ("default", 1),
           ("int", 0), ("trim", 0), ("title", 0), ("sort", 0), ("tojson", 0), ("pprint", 0),
           ("urlize", 0), ("wordcount", 0), ("items", 0), ("dictsort", 0), ("xmlattr", 0),
           ("filesizeformat", 0), ("round", 1), ("max", 0), ("min", 0), ("attr", 1)]


def _expressions() -> st.SearchStrategy[str]:
    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        args = st.lists(inner, max_size=2)
        return st.one_of(
            st.tuples(inner, st.sampled_from(BINARY), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(inner, st.sampled_from(FILTERS), args).map(
                lambda t: f"({t[0]})|{t[1][0]}({', '.join((t[2] * 2)[:t[1][1]])})"),
            st.tuples(inner, args).map(lambda t: f"({t[0]}).format({', '.join(t[1])})"),
            inner.map(lambda e: f"range({e})"),
            st.tuples(inner, inner).map(lambda t: f"[{t[0]}, {t[1]}]"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]})[{t[1]}]"),
        )
    return st.recursive(st.sampled_from(ATOMS), grow, max_leaves=6)


def _templates() -> st.SearchStrategy[str]:
    e = _expressions()
    return st.one_of(
        e.map(lambda x: f"{{{{ {x} }}}}"),
        e.map(lambda x: f"{{% if false %}}{{{{ {x} }}}}{{% endif %}}dead code"),
        st.tuples(e, e).map(lambda t: f"{{% for i in {t[0]} %}}{{{{ {t[1]} }}}}{{% endfor %}}"),
        st.tuples(e, st.sampled_from(["~", "+", "*"]), e).map(
            lambda t: f"{{% set ns = namespace(x={t[0]}) %}}{{% for i in range(40) %}}"
                      f"{{% set ns.x = ns.x {t[1]} {t[2]} %}}{{% endfor %}}{{{{ ns.x|length }}}}"),
        st.tuples(e, e).map(lambda t: f"{{% macro m(x) %}}{{{{ x ~ x }}}}{{% endmacro %}}"
                                      f"{{{{ m(m({t[0]})) ~ m({t[1]}) }}}}"),
    )


def render(folder: Path, source: str) -> tuple[str, str]:
    """("output", text) or ("error", message), as a run would have it from an override."""
    (folder / "fuzz.md.j2").write_text(source, encoding="utf-8")
    env = environment(NumberFormat("en_US"), dirs=[folder])
    env.bytecode_cache = None
    try:
        with limited(10, "rendering", 1 << 30):
            return "output", get_template(env, "fuzz.md.j2").render(a="x" * 1000, b=[1] * 1000)
    except (NarratorError, jinja2.TemplateError) as err:
        return "error", str(err)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(source=_templates())
def test_any_template_gives_output_or_one_line_never_past_the_limit(tmp_path: Path,
                                                                   source: str) -> None:
    kind, text = render(tmp_path, source)
    if kind == "error":
        assert text and "\n" not in text, (source, text)
    else:
        assert len(text) <= LIMIT, (source, len(text))


@pytest.mark.parametrize("source, refused", [
    # what the search found past the limits once, kept as cases
    ("{% if false %}{{ '%0600000000d'|format(1) }}{% endif %}", None),
    ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}"
     "{% endfor %}{{ ns.x|length }}", "a ~ whose result would be too long"),
    ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}"
     "{% endfor %}{{ ns.x|length }}", "a + whose result would be too long"),
    ("{{ (['x' * 100000] * 100)|join }}", "a |join whose result would be too long"),
    ("{% for i in range(100000) %}{{ 'x' * 1000000 }}{% endfor %}", "writes more than"),
    ("{{ ([['x' * 1000000] * 1000] * 1000)|string|length }}", "needed more memory"),
])
def test_what_the_search_found(tmp_path: Path, source: str, refused: str | None) -> None:
    kind, text = render(tmp_path, source)
    if refused is None:
        assert (kind, text) == ("output", "")  # dead code is not run, nor folded while compiling
    else:
        assert kind == "error" and refused in text and "\n" not in text
