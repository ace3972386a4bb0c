"""Templates are sandboxed: an override template can choose words, never reach Python.

The environment is Jinja's ImmutableSandboxedEnvironment, with a fast path for narrator's own
JobView (``narrator.render.fast``) or without it (``fast=False``). Each payload below is a known
server-side template injection or sandbox escape, put in an override of
``comparison/intro.md.j2``; each must end in a one-line TemplateError naming the template, with
nothing leaked into the message: no file contents, no ``<class``, no globals.
"""

from __future__ import annotations

import jinja2
import jinja2.sandbox
import pytest
from click.testing import CliRunner

from narrator import api
from narrator.cli import main
from narrator.errors import NarratorError, TemplateError
from narrator.formatting import NumberFormat
from narrator.render import environment as templates
from narrator.render.renderer import Renderer
from narrator.render.views import JobView
from tests.conftest import ROOT

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"
PASSWD = "root:x:0:0"
# What a leak would look like: file contents, a class, a function's globals, a module, os.
LEAKS = (PASSWD, "<class", "__builtins__", "<module", "{'__name__'", "'os'", "environ",
         "__globals__': {", "<function", "<built-in", "object at 0x")
# A Python error's own text may name a class ("[<class 'decimal.InvalidOperation'>]"): no data.
DATA_LEAKS = (PASSWD, "__builtins__", "<module", "{'__name__'", "environ", "__globals__': {")


def override(tmp_path, source: str, name: str = "intro.md.j2"):
    folder = tmp_path / "tpl"
    (folder / "comparison").mkdir(parents=True, exist_ok=True)
    (folder / "comparison" / name).write_text(source, encoding="utf-8")
    return folder


def refused(tmp_path, source: str) -> TemplateError:
    """Render the seed with ``source`` as the intro: a TemplateError, nothing leaked."""
    folder = override(tmp_path, source)
    with pytest.raises(TemplateError) as info:
        api.narrate(SEED, template_dirs=[folder])
    msg = str(info.value)
    assert "\n" not in msg and "comparison/intro.md.j2" in msg, msg
    assert not any(leak in msg for leak in LEAKS), msg
    return info.value


# The brief's payloads and their relatives: escapes through dunders, globals, format strings,
# includes of files outside the template folders, and mutation of values (immutable sandbox).
ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__bases__[0].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ lipsum.__globals__['os'].environ }}",
    "{{ range.__self__ }}",
    "{{ table.__globals__ }}",
    "{{ table.__code__ }}",
    "{{ config }}",
    "{{ request }}",
    "{{ url_for.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__dict__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ a.__class__ }}",
    "{{ a.__init__.__globals__ }}",
    "{{ a.__slots__ }}",
    "{{ a.__dataclass_fields__ }}",
    "{{ a.__reduce_ex__(2) }}",
    "{{ a['__class__'] }}",
    "{{ a|attr('__class__') }}",
    "{{ [a]|map(attribute='__class__')|first }}",
    "{{ [a]|selectattr('__class__')|list }}",
    "{{ a.salary.__class__.__base__.__subclasses__() }}",
    "{{ a.skills.__class__ }}",
    "{{ a.skills[0].__class__ }}",
    "{{ a.title.upper.__self__ }}",
    "{{ pay.__class__ }}",
    "{{ dict.mro() }}",
    "{% for x in [1] %}{{ loop.__class__ }}{% endfor %}",
    "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    # format strings read attributes too
    "{{ '{0.__class__}'.format(a) }}",
    "{{ '{0.__init__.__globals__}'.format(table) }}",
    "{{ '{x.__class__}'.format_map({'x': a}) }}",
    "{{ ('{0.__class__}'|attr('format'))(a) }}",
    "{{ '{0.__class__}'.format_map(a) }}",
    "{{ '%s'|format(a.__class__) }}",
    # files outside the template folders
    "{% include '/etc/passwd' %}",
    "{% include '../../etc/passwd' %}",
    "{% include '../../../../../../etc/passwd' %}",
    "{% include 'narrator/../../../etc/passwd' %}",
    "{% include 'narrator//etc/passwd' %}",
    "{% import '/etc/passwd' as p %}",
    "{% from '/etc/hosts' import x %}",
    "{% extends '/etc/passwd' %}",
    "{% include a.title %}",
    # the immutable sandbox: values can't be changed
    "{% set x = a.skills.append(1) %}",
    "{{ a.skills.pop() }}",
    "{% set l = [1] %}{{ l.append(2) }}",
    "{% set d = {} %}{{ d.update({'x': 1}) }}",
    "{{ {}.setdefault('x', 1) }}",
    "{% set a.title = 'x' %}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_escape_is_refused(tmp_path, source):
    refused(tmp_path, source)


@pytest.mark.parametrize("source", ESCAPES)
def test_escape_is_refused_by_plain_jinja_too(tmp_path, source):
    """The sandbox is the same without the fast path (Renderer(fast=False))."""
    with pytest.raises(TemplateError) as info:
        Renderer(template_dirs=[override(tmp_path, source)], fast=False).render(
            next(api.load(SEED)))
    msg = str(info.value)
    assert "\n" not in msg and "comparison/intro.md.j2" in msg, msg
    assert not any(leak in msg for leak in LEAKS), msg


def test_sandbox_errors_are_template_errors():
    """render.py turns jinja2.TemplateError into TemplateError: the sandbox's own are among them."""
    for cls in (jinja2.exceptions.SecurityError, jinja2.UndefinedError, jinja2.TemplateNotFound,
                jinja2.TemplateRuntimeError):
        assert issubclass(cls, jinja2.TemplateError)
    for fast in (True, False):
        env = templates.environment(NumberFormat("en_US"), trusted=(JobView,), fast=fast)
        assert isinstance(env, jinja2.sandbox.ImmutableSandboxedEnvironment)
        assert env.undefined is jinja2.StrictUndefined


def test_values_a_template_is_given_are_readable(tmp_path):
    """The fast path reads JobView's public fields; format strings may read them too."""
    folder = override(tmp_path, "{{ a['title'] }}|{{ '{0.title}'.format(b) }}|"
                                "{{ '{0[0]}'.format(a.skills) }}|"
                                "{{ a.skills|attr('count')('java') }}")
    intro = api.narrate(SEED, template_dirs=[folder]).split("\n\n")[1]
    assert intro == "lead technician|software support technician|java|1"


# Python failures inside an override are the template's fault: a TemplateError with the file
# and line of the override (not a traceback).
BROKEN = [
    ("{{ 1/0 }}", "ZeroDivisionError"),
    ("{{ 'x'|money('USD') }}", "TypeError: expected a number"),
    ("{{ none|money('USD') }}", "TypeError"),
    ("{{ 1|money('ZZZ') }}", "unknown currency"),
    ("{{ 1e400|money('USD') }}", "Error"),
    # past Python's int-to-text limit
    ("{{ (10 ** (a.title|length * 1000))|integer }}", "ValueError"),
    ("{{ ''|plural }}", "ValueError: plural() needs a non-empty title"),
    ("{{ none|plural }}", "AttributeError"),
    ("{{ '  '|a }}", "ValueError"),
    ("{{ ''|possessive }}", "ValueError"),
    ("{{ 1|cap }}", "TypeError"),
    ("{{ 1|and_list }}", "TypeError"),
    ("{{ table() }}", "TypeError"),
    ("{{ table(a, b, [(1, 2)]) }}", "ValueError"),
    ("{{ a|tojson }}", "TypeError"),
    ("{{ a|dictsort }}", "AttributeError"),
    ("{{ '%(x)s' % a }}", "TypeError"),
    ("{{ 'x'|format(a) }}", "TypeError"),
    ("{{ a.title|truncate(-1) }}", "AssertionError"),
    ("{{ 'ab'|slice(0)|list }}", "ZeroDivisionError"),
    ("{{ range(10**9)|list|length }}", "OverflowError: Range too big"),
    ("{% include 1 %}", "TypeError"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "RecursionError"),
    ("{% extends 'comparison/intro.md.j2' %}", "RecursionError"),  # extends itself
]


@pytest.mark.parametrize("source,words", BROKEN, ids=[s for s, _ in BROKEN])
def test_python_failures_in_an_override_are_template_errors(tmp_path, source, words):
    folder = override(tmp_path, "ok\n\n" + source)
    with pytest.raises(TemplateError) as info:
        api.narrate(SEED, template_dirs=[folder])
    msg = str(info.value)
    assert msg.startswith(f"{folder / 'comparison' / 'intro.md.j2'}: line 3: "), msg
    assert words in msg and "\n" not in msg and not any(leak in msg for leak in DATA_LEAKS), msg


def test_a_failure_in_an_included_override_names_that_file(tmp_path):
    folder = override(tmp_path, "{% include 'comparison/part.md.j2' %}")
    (folder / "comparison" / "part.md.j2").write_text("x\n{{ 1/0 }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        api.narrate(SEED, template_dirs=[folder])
    part = folder / "comparison" / "part.md.j2"
    assert str(info.value).startswith(f"{part}: line 2: ZeroDivisionError")


def test_a_failure_in_a_block_of_an_extending_override(tmp_path):
    """The block runs inside the built-in's render, but it is the override's code."""
    folder = override(tmp_path, "{% extends 'narrator/comparison/intro.md.j2' %}\n"
                                "{% block pay %}\n{{ 1/0 }}{% endblock %}")
    with pytest.raises(TemplateError) as info:
        api.narrate(SEED, template_dirs=[folder])
    intro = folder / "comparison" / "intro.md.j2"
    assert str(info.value).startswith(f"{intro}: line 3: ZeroDivisionError")
    refused(tmp_path, "{% extends 'narrator/comparison/intro.md.j2' %}"
                      "{% block pay %}{{ a.__class__ }}{% endblock %}")


def test_an_override_that_cannot_compile(tmp_path):
    folder = override(tmp_path, "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}")
    with pytest.raises(TemplateError) as info:
        api.narrate(SEED, template_dirs=[folder])
    assert str(info.value).startswith("comparison/intro.md.j2: cannot compile: RecursionError")


def test_a_failure_in_a_builtin_template_is_a_bug_with_a_traceback(monkeypatch):
    """Only overrides are the user's: narrator's own templates failing is narrator's bug."""
    renderer = Renderer()

    def broken_cap(text):
        raise ValueError("cap is broken")

    monkeypatch.setitem(renderer.env.filters, "cap", broken_cap)
    with pytest.raises(ValueError, match="cap is broken"):
        renderer.render(next(api.load(SEED)))


def test_builtin_templates_are_not_wrapped():
    renderer = Renderer()
    assert not any(getattr(t.root_render_func, "guarded", False)
                   for t in renderer.templates.values())


def test_extending_the_builtin_still_works(tmp_path):
    folder = override(tmp_path, "{% extends 'narrator/comparison/intro.md.j2' %}")
    assert api.narrate(SEED, template_dirs=[folder]) == api.narrate(SEED)


@pytest.mark.parametrize("source", ["{{ ''.format }}", "{{ namespace }}", "{{ self }}", "{{ a }}",
                                    "{{ a.skills|map(attribute='__class__')|list }}"])
def test_printing_a_value_shows_no_data_from_outside(tmp_path, source):
    """Printing a method, a Jinja helper or a JobView shows a repr: no file, no globals, no
    module (a method's repr does hold a memory address; see the report)."""
    folder = override(tmp_path, source)
    text = api.narrate(SEED, template_dirs=[folder])
    assert not any(leak in text for leak in DATA_LEAKS)


@pytest.mark.parametrize("source",
                         ["{{ a.__class__ }}", "{% include '/etc/passwd' %}", "{{ 1/0 }}"])
def test_command_line_reports_one_line(tmp_path, source):
    folder = override(tmp_path, source)
    result = CliRunner().invoke(main, [str(SEED), "--templates", str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("narrate: error: ") and result.stderr.count("\n") == 1
    assert not any(leak in result.stderr for leak in LEAKS)


def test_every_error_is_a_narrator_error():
    assert issubclass(TemplateError, NarratorError)


# The compiled fast path (fast._CodeGenerator): ``x.field`` skips the sandbox only when x
# is exactly a trusted class and ``field`` one of its declared public slots.
class _Other:
    """Not trusted, with an attribute of a JobView field's name."""

    title = "other title"


class _SubView(JobView):
    __slots__ = ()


class _Tagged:
    __slots__ = ("title", "tag")

    def __init__(self) -> None:
        self.title, self.tag = "tagged title", "t"


FAST_PATH = [
    # (value of x, source, output, went through the sandbox's getattr)
    ("view", "{{ x.title }}", "lead technician", False),
    ("view", "{{ x.skills[0] }}", "java", False),
    ("subclass", "{{ x.title }}", "lead technician", True),
    ("other", "{{ x.title }}", "other title", True),
    ("dict", "{{ x.title }}", "dict title", True),
    ("tagged", "{{ x.title }}|{{ x.tag }}", "tagged title|t", False),
    ("view", "{{ x.count }}", None, True),  # not a field: the sandbox decides (undefined)
    ("view", "{{ x.__class__ }}", None, True),
    ("missing", "{{ x.title }}", None, True),
]


@pytest.mark.parametrize("kind,source,output,checked", FAST_PATH)
def test_fast_path_reads_only_trusted_fields(monkeypatch, kind, source, output, checked):
    view = Renderer().view(next(api.load(SEED)).a)
    values = {"view": view, "subclass": _SubView(*(getattr(view, f) for f in JobView.__slots__)),
              "other": _Other(), "dict": {"title": "dict title"}, "tagged": _Tagged()}
    env = templates.environment(NumberFormat("en_US"), trusted=(JobView, _Tagged))
    seen = []
    checked_getattr = env.getattr
    monkeypatch.setattr(env, "getattr",
                        lambda obj, name: seen.append(name) or checked_getattr(obj, name))
    template = env.from_string(source)
    context = {} if kind == "missing" else {"x": values[kind]}
    if output is None:
        with pytest.raises(jinja2.TemplateError):
            template.render(context)
    else:
        assert template.render(context) == output
    assert bool(seen) is checked, seen


def test_fields_two_trusted_classes_share_are_read_directly_from_both():
    env = templates.environment(NumberFormat("en_US"), trusted=(JobView, _Tagged))
    assert env.trusted_fields["title"] == (0, 1) and env.trusted_fields["tag"] == (1,)
    view = Renderer().view(next(api.load(SEED)).a)
    assert env.from_string("{{ x.title }}").render(x=view) == "lead technician"


# Jinja constructs around a fast-path read (loop filters, recursive loops, macro defaults, call
# blocks, namespaces, with, block sets, filters): each must give what Jinja's own sandbox gives.
CONSTRUCTS = [
    "{% for x in [a, b] if x.title %}{{ x.title }};{% endfor %}",
    "{% for x in [a, b] recursive %}{{ x.title }}{% if false %}{{ loop([]) }}{% endif %};"
    "{% endfor %}",
    "{% macro m(j=a, t=a.title) %}{{ j.plural }}|{{ t }}{% endmacro %}"
    "{{ m() }}|{{ m(b, b.title) }}",
    "{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}{{ a.a_title }}{% endcall %}",
    "{% set x = a.title %}{{ x }}",
    "{% set ns = namespace(v=a.title) %}{% set ns.v = b.title %}{{ ns.v }}",
    "{% with j = b %}{{ j.title }}{% endwith %}",
    "{{ [a, b]|map(attribute='title')|join(',') }}",
    "{% set s %}{{ a.title }}{% endset %}{{ s }}",
    "{{ (a if a.salary else b).title }}",
    "{{ a.skills[0] if a.skills else '' }}|{{ a.skills|length }}",
    "{% filter upper %}{{ a.title }}{% endfilter %}",
    "{{ {'k': a.title}['k'] }}",
    "{% for x in [a] %}{% for y in [b] %}{{ x.title }}/{{ y.title }}{% endfor %}{% endfor %}",
    "{{ a.title ~ b.title if a.title }}|{{ a.satisfaction }}|{{ a.salary_max_top_coded }}",
    "{% block x %}{{ a.title.upper() }}{% endblock %}",
]


@pytest.mark.parametrize("source", CONSTRUCTS)
def test_fast_path_gives_what_the_plain_sandbox_gives(source):
    env = templates.environment(NumberFormat("en_US"), trusted=(JobView,))
    reference = templates.environment(NumberFormat("en_US"), trusted=(JobView,), fast=False)
    plain = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    renderer = Renderer()
    rec = next(api.load(SEED))
    values = {"a": renderer.view(rec.a), "b": renderer.view(rec.b)}
    ours = env.from_string(source).render(values)
    assert ours == plain.from_string(source).render(values)
    assert ours == reference.from_string(source).render(values)
    assert "narrator_trusted_" in env.compile(source, raw=True)  # the fast path was compiled in
    assert "narrator_trusted_" not in reference.compile(source, raw=True)
