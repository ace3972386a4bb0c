"""The Jinja environment: loader chain, StrictUndefined, and every filter in one registry.

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
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Context, missing
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .. import grammar, markdown
from ..errors import TemplateError
from ..formatting import NumberFormat
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
    }


# Module globals of compiled templates holding the trusted classes: narrator_trusted_0, ...
_TRUSTED = "narrator_trusted_"
# ... and narrator's own functions that templates call directly: narrator_own_0, ...
_OWN = "narrator_own_"


class _CodeGenerator(CodeGenerator):
    """Compiles ``view.field`` to a plain attribute read when the object is a trusted view.

    The sandbox checks every attribute access through ``environment.getattr``, a call per
    access, which was most of a render's time. Objects of the ``trusted`` types hold only data
    (slotted dataclasses, no public methods), so reading one of their declared public fields is
    safe; the type is checked inline, and anything else still goes through the sandbox.
    """

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        owners = self.environment.trusted_fields.get(node.attr)  # type: ignore[attr-defined]
        if not owners or self.environment.is_async:
            return super().visit_Getattr(node, frame)
        obj = self.temporary_identifier()
        classes = ", ".join(f"{_TRUSTED}{i}" for i in owners)
        test = f"is {classes}" if len(owners) == 1 else f"in ({classes})"
        self.write(f"({obj}.{node.attr} if ({obj} := ")
        self.visit(node.node, frame)
        self.write(f").__class__ {test} else environment.getattr({obj}, {node.attr!r}))")

    @optimizeconst
    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        """``table(...)`` calls narrator's function directly when the name still holds it (the
        sandbox's call check is two frames and a dict of keywords per table). Only for a call
        by one of those names whose arguments hold no other call: the arguments are written
        twice (once per branch), which nesting would multiply."""
        own = self.environment.own_calls  # type: ignore[attr-defined]
        if (self.environment.is_async or forward_caller or not isinstance(node.node, nodes.Name)
                or node.node.name not in own or any(True for _ in node.find_all(nodes.Call))):
            return super().visit_Call(node, frame, forward_caller=forward_caller)
        obj = self.temporary_identifier()
        self.write(f"({obj}(*()")  # *(): signature() writes ", arg" for each argument
        self.signature(node, frame)
        self.write(f") if ({obj} := ")
        self.visit(node.node, frame)
        self.write(f") is {_OWN}{own[node.node.name]} else ")
        super().visit_Call(node, frame)  # Jinja's own call (it reads the name again: a local)
        self.write(")")

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        super().visit_Template(node, frame)
        # Module global read by the checks above; functions look it up when they run.
        for i in range(len(self.environment.trusted_types)):  # type: ignore[attr-defined]
            self.writeline(f"{_TRUSTED}{i} = environment.trusted_types[{i}]")
        for name, i in self.environment.own_calls.items():  # type: ignore[attr-defined]
            self.writeline(f"{_OWN}{i} = environment.globals[{name!r}]")


class _Context(Context):
    """Jinja's Context, with a name looked up once per dict: every block and template starts by
    resolving each name it reads, and Jinja's own lookup tests membership, then gets the item."""

    def resolve_or_missing(self, key: str) -> Any:
        value = self.vars.get(key, missing)
        return self.parent.get(key, missing) if value is missing else value


_WIDE_FORMAT = re.compile(r"%[-#0 +]*(?:\*|\d{7,})|%[-#0 +]*\d*\.(?:\*|\d{7,})")


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, with a fast path for narrator's own values and functions.

    Declared public fields of the ``trusted`` types are read directly (see ``_CodeGenerator``)
    and narrator's own globals are called directly; everything else goes through the full checks.
    """

    code_generator_class = _CodeGenerator
    context_class = _Context
    # Checked at run time (see call_binop), and so never folded while compiling: constant
    # folding ran {{ 7 ** 100000000 > 1 }} at compile time, for ever, outside any time limit.
    intercepted_binops = frozenset({"**", "*", "%"})
    MAX_BITS = 1 << 16  # of a power's result (a number of ~20,000 digits)
    MAX_LENGTH = 1 << 20  # of a repeated string or list, or a formatting width

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and abs(left) > 1 and right > 0 and (abs(left).bit_length() - 1) * right > self.MAX_BITS:
            raise SecurityError(f"{left} ** {right} is too big to compute")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) \
                        and len(seq) * times > self.MAX_LENGTH:
                    raise SecurityError("a repeated string or list would be too long")
        if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise SecurityError("a % format with a width that large, or from an argument (*)")
        return super().call_binop(context, operator, left, right)

    def __init__(self, *args: Any, trusted: tuple[type, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trusted_types = trusted
        # field name -> indexes of the trusted classes declaring it as a public slot
        fields: dict[str, list[int]] = {}
        for i, cls in enumerate(trusted):
            for name in getattr(cls, "__slots__", ()):
                if name[0] != "_" and name.isidentifier():
                    fields.setdefault(name, []).append(i)
        self.trusted_fields = {k: tuple(v) for k, v in fields.items()}
        # global name -> index: narrator's functions, called without the sandbox's checks
        self.own_calls = {"table": 0}
        checked_call = self.call
        table = markdown.table

        def call(__context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            if __obj is table:
                # what Jinja adds for a call in a loop or block is not an argument of ours
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
                return __obj(*args, **kwargs)
            return checked_call(__context, __obj, *args, **kwargs)

        self.call = call  # type: ignore[method-assign]


def search_path(dirs: Sequence[Path] = (), style_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The template folders in the order the loader searches them (the first holding a name
    wins): the user's ``dirs``, a built-in style's folders, narrator's own templates."""
    return (*map(Path, dirs), *map(Path, style_dirs), BUILTIN_TEMPLATES)


def environment(fmt: NumberFormat, dirs: Sequence[Path] = (), style_dirs: Sequence[Path] = (),
                trusted: tuple[type, ...] = ()) -> jinja2.Environment:
    """A sandboxed environment searching the user's ``dirs`` first, then a built-in style's
    folders, then narrator's own templates."""
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
        for folder, _, _ in os.walk(d, onerror=_unreadable_folder):
            pass
    builtin = jinja2.FileSystemLoader(builtin_dir)
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([*map(str, dirs), str(builtin_dir)]),
        jinja2.PrefixLoader({BUILTIN_PREFIX: builtin}),
    ])
    env = _Environment(
        trusted=trusted,
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: escaping happens on record text, once
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=[VariantsExtension],  # {% variants "slot" %} … {% or %} … {% endvariants %}
    )
    # A user's folder can lie inside the built-in one (-t templates/mine): its templates are
    # still the user's (guarded, errors reported with their line).
    env.user_dirs = tuple(Path(d).resolve() for d in user_dirs)  # type: ignore[attr-defined]
    env.filters.update(_filters(fmt))
    env.globals["table"] = markdown.table
    return env


def _unreadable_folder(err: OSError) -> None:
    raise TemplateError(f"cannot read the template folder: {err.strerror}",
                        file=err.filename) from None


def used_names(env: jinja2.Environment, names: Sequence[str]) -> frozenset[str]:
    """Every variable name the templates read, following their extends/include/import chain
    (so a renderer computes only the values some template of its set uses)."""
    from jinja2 import meta

    seen: set[str] = set()
    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
            ast = env.parse(source)
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
            continue  # reported where the template is loaded
        found |= meta.find_undeclared_variables(ast)
        todo += [t for t in meta.find_referenced_templates(ast) if t]
    return frozenset(found)


def get_template(env: jinja2.Environment, name: str, *, inline: bool = False) -> jinja2.Template:
    """Load a template, turning Jinja's errors into one-line TemplateErrors. ``inline``: for a
    renderer's own use, with its blocks written in place where nothing can tell (see
    ``inline_blocks``), compiled once."""
    try:
        template = (inline and inline_blocks(env, name)) or env.get_template(name)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(f"line {err.lineno}: {err.message}", file=err.filename or name) from None
    except jinja2.TemplateNotFound as err:
        raise TemplateError("template not found", file=str(err.name)) from None
    except Exception as err:  # an override Jinja parses but cannot compile: {{ ((((...)))) }}
        raise TemplateError(f"cannot compile: {err.__class__.__name__}: {err}", file=name) from None
    if not _builtin(template) and not getattr(template.root_render_func, "guarded", False):
        template.root_render_func = _guarded(template.root_render_func)
    return template


def extends(env: jinja2.Environment, name: str) -> bool:
    """Whether the template ``name`` extends another (has an ``{% extends %}`` tag)."""
    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    # Parsing costs milliseconds on the start-up path: only templates naming the tag need it.
    return "extends" in source and env.parse(source).find(nodes.Extends) is not None


def always_empty(env: jinja2.Environment, name: str) -> bool:
    """Whether the template ``name`` writes only whitespace whatever it is given (comments and
    blank lines, as places.md.j2 in both styles): a renderer need not render it per article."""
    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    # Without a tag or an expression there is only text and comments; parse to be sure.
    if "{{" in source or "{%" in source:
        return False
    return all(isinstance(node, nodes.Output) and all(
        isinstance(child, nodes.TemplateData) and not child.data.strip() for child in node.nodes)
        for node in env.parse(source).body)


# A block body holding one of these keeps its block: they bind names, which a block scopes.
_BINDS = (nodes.Assign, nodes.AssignBlock, nodes.Macro, nodes.CallBlock, nodes.FilterBlock,
          nodes.With, nodes.Import, nodes.FromImport, nodes.Block, nodes.Scope,
          nodes.OverlayScope, nodes.ScopedEvalContextModifier)


def inline_blocks(env: jinja2.Environment, name: str) -> jinja2.Template | None:
    """The template ``name`` compiled with its blocks written in place, where nothing can
    tell; None when it has no such block (load it as usual). Not cached in ``env``.

    Calling a block costs a dict lookup, a generator and a lookup of each name it reads (about
    a fifth of a seed article's render). A template rendered as it is (it extends nothing) is
    the only user of its own blocks, so a block at its top level (not in a loop or macro) whose
    body binds no name (``{% set %}``, ``macro``, ...: a block scopes them) renders the same
    written in place. A template that reads ``self`` or ``super`` keeps every block. Templates
    that extend this file load it under another name, so they still see its blocks."""
    source, filename, uptodate = env.loader.get_source(env, name)  # type: ignore[union-attr]
    if "block" not in source:
        return None
    ast = env.parse(source, name, filename)
    if ast.find(nodes.Extends) is not None or any(
            n.name in ("self", "super") for n in ast.find_all(nodes.Name)):
        return None
    done = [0]

    def inlinable(block: nodes.Block) -> bool:
        if block.scoped or block.required:
            return False
        for node in block.find_all(_BINDS):
            # {% variants %} assigns its choice to an internal name: no name a template reads
            if not (isinstance(node, nodes.Assign) and isinstance(node.target, nodes.InternalName)):
                return False
        return True

    def walk(body: list[nodes.Node]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for node in body:
            if isinstance(node, nodes.Block) and inlinable(node):
                out += walk(node.body)
                done[0] += 1
                continue
            if isinstance(node, nodes.If):  # an if is no scope: its blocks are top level too
                node.body = walk(node.body)
                for branch in node.elif_:
                    branch.body = walk(branch.body)
                node.else_ = walk(node.else_)
            out.append(node)
        return out

    ast.body = walk(ast.body)
    if not done[0]:
        return None
    code = env.compile(ast, name, filename)
    return env.template_class.from_code(env, code, env.make_globals(None), uptodate)


def _builtin(template: jinja2.Template) -> bool:
    path = Path(template.filename or "")
    return path.is_relative_to(BUILTIN_TEMPLATES) and not any(
        path.resolve().is_relative_to(d) for d in getattr(template.environment, "user_dirs", ()))


def _guarded(render: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    """An override's render function whose plain Python failures are TemplateErrors.

    The sandbox's own refusals are Jinja errors, which the renderer reports. But an override
    can also fail in plain Python: ``{{ 1/0 }}``, ``{{ "x"|money("USD") }}``, ``{% include 1 %}``,
    a macro that calls itself. That is an error in the user's template, reported with the
    template and line; a failure inside narrator's own templates is a bug and keeps its
    traceback. Built-in templates are not wrapped, so they render at full speed.
    """
    def root_render_func(context: Any) -> Iterator[str]:
        try:
            yield from render(context)
        except jinja2.TemplateError:
            raise
        except Exception as err:  # a NarratorError too: {{ 1|money("ZZZ") }} is the template's
            where = _template_line(err.__traceback__)
            if where is None or getattr(err, "file", None):
                raise
            raise TemplateError(f"line {where[1]}: {err.__class__.__name__}: {err}",
                                file=where[0]) from None

    root_render_func.guarded = True  # type: ignore[attr-defined]
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
    return template.filename or template.name or "<template>", template.get_corresponding_lineno(lineno)
