"""The Jinja environment: loader chain, sandbox, StrictUndefined, and every filter in one registry.

``environment(fast=True)`` adds narrator's speed layer (``fast``) to the same sandbox; what a
template means is the same either way.

Templates write Markdown. Record text reaches them already escaped (see ``markdown.escape``),
so wording in templates stays plain and a record can't change the article's structure.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .. import grammar, markdown
from ..errors import TemplateError
from ..formatting import NumberFormat
from . import codegen
from . import fast as speed
from .cache import TemplateCache, template_cache
from .variants import VariantsExtension

_HERE = Path(__file__).resolve().parent.parent  # the narrator package
# The repository's templates/ (a checkout or an editable install), or the copy a wheel ships
# inside the package (pyproject maps templates/ to narrator/_builtin_templates).
BUILTIN_TEMPLATES = next((p for p in (_HERE / "_builtin_templates", _HERE.parent / "templates")
                          if p.is_dir()), _HERE.parent / "templates")
# Overrides can extend the built-in they replace: {% extends "narrator/comparison/intro.md.j2" %}
BUILTIN_PREFIX = "narrator"


def _filters(fmt: NumberFormat) -> dict[str, Callable[..., Any]]:
    """Filters are plain functions; the number ones are bound to the run's locale."""
    return {
        "a": grammar.with_article,
        "plural": grammar.plural,
        "possessive": grammar.possessive,
        "cap": grammar.sentence_case,
        "and_list": lambda items, oxford=False: grammar.join(list(items), oxford=oxford),
        "money": fmt.money,
        "money_cents": lambda value, currency: fmt.money(value, currency, cents=True),
        "integer": fmt.integer,
        "decimal": fmt.decimal,
        "percent": fmt.percent,
        # Jinja's own, with the sandbox's size limits (see _Sandbox)
        "format": _format,
        "replace": _replace,
        "center": _center,
        "indent": _indent,
        "join": _join,
    }


_WIDE_FORMAT = re.compile(r"%[-#0 +]*(?:\*|\d{7,})|%[-#0 +]*\d*\.(?:\*|\d{7,})")
# a str.format replacement field whose spec has a width of 7+ digits, or one from an argument
_WIDE_STR_FORMAT = re.compile(r"\{[^{}]*:[^{}]*(?:\d{7,}|\{)")


def _short(n: int) -> str:
    """An int for a message: Python refuses to print one of more than 4,300 digits."""
    bits = abs(n).bit_length()
    return str(n) if bits <= 64 else f"a {bits:,}-bit number"


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    """Jinja's ``format`` filter (``value % args``), with the sandbox's % limits."""
    if isinstance(value, str) and _WIDE_FORMAT.search(value):
        raise SecurityError("a |format width that large, or from an argument (*)")
    return jinja2.filters.do_format(value, *args, **kwargs)


@jinja2.pass_eval_context
def _replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: Any = None) -> str:
    """Jinja's ``replace`` filter, refusing a result past the sandbox's length limit."""
    if isinstance(s, str) and isinstance(old, str) and isinstance(new, str) and old \
            and len(new) > len(old):
        times = s.count(old) if count is None else min(s.count(old), max(int(count), 0))
        if len(s) + times * (len(new) - len(old)) > _Sandbox.MAX_LENGTH:
            raise SecurityError("a |replace whose result would be too long")
    return jinja2.filters.do_replace(eval_ctx, s, old, new, count)


def _center(value: Any, width: Any = 80) -> str:
    """Jinja's ``center`` filter, refusing a width past the sandbox's length limit."""
    if isinstance(width, int) and width > _Sandbox.MAX_LENGTH:
        raise SecurityError("a |center width that large")
    return jinja2.filters.do_center(value, width)


def _indent(s: Any, width: Any = 4, first: bool = False, blank: bool = False) -> str:
    """Jinja's ``indent`` filter, refusing a result past the sandbox's length limit (the
    indent is repeated on every line)."""
    size = width if isinstance(width, int) else len(str(width))
    if isinstance(s, str) and size * (s.count("\n") + 1) + len(s) > _Sandbox.MAX_LENGTH:
        raise SecurityError("an |indent whose result would be too long")
    return jinja2.filters.do_indent(s, width, first, blank)


@jinja2.pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    """Jinja's ``join`` filter, refusing a result past the sandbox's length limit (a list of
    100,000 items each a megabyte long is only references until it is joined)."""
    items = list(value) if attribute is None else list(
        map(jinja2.filters.make_attrgetter(eval_ctx.environment, attribute), value))
    if sum(len(str(item)) for item in items) + len(str(d)) * max(len(items) - 1, 0) \
            > _Sandbox.MAX_LENGTH:
        raise SecurityError("a |join whose result would be too long")
    return jinja2.filters.do_join(eval_ctx, items, d)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with bounds on what an expression may compute."""

    # Checked at run time (see call_binop); codegen folds nothing while compiling (it ran
    # {{ 7 ** 100000000 > 1 }} at compile time, for ever, outside any time limit).
    intercepted_binops = frozenset({"**", "*", "%", "+"})
    MAX_BITS = 1 << 16  # of a power's result (a number of ~20,000 digits)
    MAX_LENGTH = 1 << 20  # of a repeated, joined or concatenated string, or a formatting width
    # folds nothing while compiling; `~` checked (see codegen)
    code_generator_class: type[CodeGenerator] = codegen.CodeGenerator

    def checked_concat(self, parts: Sequence[Any]) -> str:
        """``a ~ b ~ …`` (the code generator's), refusing a result past MAX_LENGTH."""
        strings = [str(part) for part in parts]
        if sum(map(len, strings)) > self.MAX_LENGTH:
            raise SecurityError("a ~ whose result would be too long")
        return "".join(strings)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and abs(left) > 1 and right > 0 \
                and (abs(left).bit_length() - 1) * right > self.MAX_BITS:
            raise SecurityError(f"{_short(left)} ** {_short(right)} is too big to compute")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) \
                        and len(seq) * times > self.MAX_LENGTH:
                    raise SecurityError("a repeated string or list would be too long")
        if operator == "+" and isinstance(left, (str, list, tuple)) \
                and isinstance(right, (str, list, tuple)) \
                and len(left) + len(right) > self.MAX_LENGTH:
            raise SecurityError("a + whose result would be too long")
        if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise SecurityError("a % format with a width that large, or from an argument (*)")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` as the sandbox allows it, minus widths that build huge strings."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_STR_FORMAT.search(value.__self__):
            def refused(*args: Any, **kwargs: Any) -> str:
                raise SecurityError("a str.format width that large, or from an argument")
            return refused
        return wrapped


class _FastSandbox(speed.FastPath, _Sandbox):
    """The sandbox with narrator's fast path (see ``fast``)."""


def search_path(dirs: Sequence[Path] = (), style_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The template folders in the order the loader searches them (the first holding a name
    wins): the user's ``dirs``, a built-in style's folders, narrator's own templates."""
    return (*map(Path, dirs), *map(Path, style_dirs), BUILTIN_TEMPLATES)


def environment(fmt: NumberFormat, dirs: Sequence[Path] = (), style_dirs: Sequence[Path] = (),
                trusted: tuple[type, ...] = (), *, fast: bool = True) -> jinja2.Environment:
    """A sandboxed environment searching the user's ``dirs`` first, then a built-in style's
    folders, then narrator's own templates.

    ``fast``: with narrator's speed layer (``fast.py``; its direct reads of the ``trusted``
    types' fields), unless the installed Jinja is not one it was written for; False: plain
    Jinja, the reference the fast path is tested against."""
    user_dirs = tuple(dirs)
    *dirs, builtin_dir = search_path(dirs, style_dirs)
    for d in dirs:
        try:
            found = stat.S_ISDIR(os.stat(d).st_mode)
        except FileNotFoundError:
            found = False
        except OSError as err:
            raise TemplateError(f"cannot read the template folder: {err.strerror}",
                                file=str(d)) from None
        if not found:
            raise TemplateError("template directory not found", file=str(d))
    for d in user_dirs:  # Jinja passes over a folder it can't read: the built-in would be used
        _check_override_folder(Path(d))
    builtin = jinja2.FileSystemLoader(builtin_dir)
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([*map(str, dirs), str(builtin_dir)]),
        jinja2.PrefixLoader({BUILTIN_PREFIX: builtin}),
    ])
    options: dict[str, Any] = dict(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: escaping happens on record text, once
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=[VariantsExtension],  # {% variants "slot" %} … {% or %} … {% endvariants %}
    )
    env = _FastSandbox(trusted=trusted, **options) if fast and speed.SUPPORTED \
        else _Sandbox(**options)
    # A user's folder can lie inside the built-in one (-t templates/mine): its templates are
    # still the user's (guarded, errors reported with their line).
    # narrator's own attribute on the environment, read by its guarded templates
    env.user_dirs = tuple(Path(d).resolve() for d in user_dirs)  # type: ignore[attr-defined]  # (above)
    env.filters.update(_filters(fmt))
    env.globals["table"] = markdown.table
    env.bytecode_cache = template_cache()  # compiled templates kept between runs (cache.py)
    return env


def _check_override_folder(folder: Path) -> None:
    """Every template (``*.j2``) under a user's folder is a regular file inside it: a FIFO or a
    device would block the run, and a link leaving the folder would paste any readable file
    (``/etc/shadow`` as root) into an article."""
    root = folder.resolve()
    for where, _, names in os.walk(folder, onerror=_unreadable_folder):
        for name in names:
            if not name.endswith(".j2") or name.startswith("."):
                continue  # not a template narrator loads (an editor's lock or swap file)
            path = Path(where, name)
            try:
                real = path.resolve(strict=True)
                mode = os.stat(real).st_mode
            except (OSError, RuntimeError):
                raise TemplateError("a link to nothing, or a loop of links", file=str(path)) \
                    from None
            if real != root and root not in real.parents:
                raise TemplateError(f"a link that leaves the template folder (to {real}): "
                                    f"copy the file in instead", file=str(path))
            if not stat.S_ISREG(mode):
                raise TemplateError("not a regular file (a FIFO or a device)", file=str(path))


def _unreadable_folder(err: OSError) -> None:
    raise TemplateError(f"cannot read the template folder: {err.strerror}",
                        file=err.filename) from None


def used_names(env: jinja2.Environment, names: Sequence[str]) -> frozenset[str]:
    """Every variable name the templates read, following their extends/include/import chain
    (so a renderer computes only the values some template of its set uses)."""
    seen: set[str] = set()
    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        about = template_facts(env, name)
        if about is None:
            continue  # reported where the template is loaded
        found.update(about["reads"])
        todo += about["refers_to"]
    return frozenset(found)


def template_facts(env: jinja2.Environment, name: str) -> dict[str, Any] | None:
    """What parsing the template ``name`` tells: the names it reads (``reads``), the templates
    it refers to (``refers_to``) and whether it extends another (``extends``); None when it is
    missing or does not parse. Kept in the template cache: parsing is start-up time."""
    from jinja2 import meta

    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]  # loader is set
    except jinja2.TemplateNotFound:
        return None
    bcc = env.bytecode_cache if isinstance(env.bytecode_cache, TemplateCache) else None
    key = bcc.key(env, "facts", name, filename or "", source) if bcc else ""
    if bcc and isinstance(about := bcc.load_json(key), dict):
        return about
    try:
        ast = env.parse(source, name, filename)
    except jinja2.TemplateSyntaxError:
        return None
    about = {"reads": sorted(meta.find_undeclared_variables(ast)),
             "refers_to": [t for t in meta.find_referenced_templates(ast) if t],
             "extends": ast.find(nodes.Extends) is not None}
    if bcc:
        bcc.dump_json(key, about)
    return about


def get_template(env: jinja2.Environment, name: str, *,
                 compile: Callable[[str], jinja2.Template | None] | None = None) -> jinja2.Template:
    """Load a template, turning Jinja's errors into one-line TemplateErrors. ``compile``: a
    renderer's own compilation of ``name`` (``fast.Sections.load``); without one, or when it
    returns None, the environment loads the template as usual."""
    try:
        template = (compile and compile(name)) or env.get_template(name)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(f"line {err.lineno}: {err.message}",
                            file=err.filename or name) from None
    except jinja2.TemplateNotFound as err:
        raise TemplateError("template not found", file=str(err.name)) from None
    except Exception as err:  # an override Jinja parses but cannot compile: {{ ((((...)))) }}
        raise TemplateError(f"cannot compile: {err.__class__.__name__}: {err}", file=name) from None
    if not _builtin(template) and not getattr(template.root_render_func, "guarded", False):
        template.root_render_func = _guarded(template.root_render_func,
                                              template.filename or name)
    return template


def always_empty(env: jinja2.Environment, name: str) -> bool:
    """Whether the template ``name`` writes only whitespace whatever it is given (comments and
    blank lines, as places.md.j2 in both styles): a renderer need not render it per article."""
    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]  # loader is set
    # Without a tag or an expression there is only text and comments; parse to be sure.
    if "{{" in source or "{%" in source:
        return False
    return all(isinstance(node, nodes.Output) and all(
        isinstance(child, nodes.TemplateData) and not child.data.strip() for child in node.nodes)
        for node in env.parse(source).body)


def _builtin(template: jinja2.Template) -> bool:
    path = Path(template.filename or "")
    return path.is_relative_to(BUILTIN_TEMPLATES) and not any(
        path.resolve().is_relative_to(d) for d in getattr(template.environment, "user_dirs", ()))


def _guarded(render: Callable[[Any], Iterator[str]], file: str) -> Callable[[Any], Iterator[str]]:
    """An override's render function whose plain Python failures are TemplateErrors.

    The sandbox's own refusals are Jinja errors, which the renderer reports. But an override
    can also fail in plain Python: ``{{ 1/0 }}``, ``{{ "x"|money("USD") }}``, ``{% include 1 %}``,
    a macro that calls itself. That is an error in the user's template, reported with the
    template and line; a failure inside narrator's own templates is a bug and keeps its
    traceback. Built-in templates are not wrapped, so they render at full speed.
    """
    def root_render_func(context: Any) -> Iterator[str]:
        size = 0
        try:
            for chunk in render(context):
                # a loop writing a long string many times is only references until joined
                size += len(chunk)
                if size > _Sandbox.MAX_LENGTH:
                    raise TemplateError(f"writes more than {_Sandbox.MAX_LENGTH:,} characters "
                                        f"(a loop writing a long value?)", file=file)
                yield chunk
        except jinja2.TemplateError:
            raise
        except Exception as err:  # a NarratorError too: {{ 1|money("ZZZ") }} is the template's
            where = _template_line(err.__traceback__)
            if where is None or getattr(err, "file", None):
                raise
            what = ("needed more memory than the limit (a template building a huge value?)"
                    if isinstance(err, MemoryError) else f"{err.__class__.__name__}: {err}")
            raise TemplateError(f"line {where[1]}: {what}", file=where[0]) from None

    root_render_func.guarded = True  # type: ignore[attr-defined]  # a mark on the function
    return root_render_func


def _template_line(tb: TracebackType | None) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame in a traceback, unless it is built in."""
    found = None
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            found = template, tb.tb_lineno
        tb = tb.tb_next
    if found is None or _builtin(found[0]):
        return None
    template, lineno = found
    return (template.filename or template.name or "<template>",
            template.get_corresponding_lineno(lineno))
