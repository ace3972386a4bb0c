"""`narrate check`: validate templates, records and locale without writing anything.

Every problem is collected and reported at once as ``file:line: message`` (or
``file: record: field: message`` where a record has no line), so a copy editor fixes them
all in one pass instead of meeting them one by one in the middle of a run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.nodes import EvalContext
from jinja2.sandbox import SecurityError

from .. import records, schema
from ..dataset import DEFAULT_STYLE, STYLES, style_search_path, template_files
from ..errors import ConfigError, NarratorError
from ..formatting import NumberFormat, check_currency
from ..render.environment import BUILTIN_TEMPLATES, environment
from ..render.renderer import CONTEXT_NAMES, JOB_CONTEXT_NAMES, KIND, SECTIONS
from ..render.views import JobView
from ..sources import Resolver, discover

VIEW_NAMES = ("a", "b", "higher", "lower", "job")
CONTEXT = frozenset(CONTEXT_NAMES)  # the renderer's own list, so the two cannot drift apart
JOB_CONTEXT = frozenset(JOB_CONTEXT_NAMES)
VIEW_FIELDS = frozenset(f.name for f in fields(JobView))
#: Names Jinja itself provides inside templates, loops, macros and blocks.
JINJA_NAMES = frozenset({"loop", "caller", "varargs", "kwargs", "self", "super"})


def _hint(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


_SIDES = {f"{KIND}/{t}": side for _, t, side in SECTIONS}
_WITHOUT_JOB = {name for name, side in _SIDES.items() if side is None} | {
    f"{KIND}/title.txt.j2", f"{KIND}/meta.txt.j2", f"{KIND}/seo_title.txt.j2"}
_ONLY_JOB = {name for name, side in _SIDES.items() if side is not None}


def _context_for(name: str) -> frozenset[str]:
    """The names a template is rendered with; a partial of unknown use may see any of them."""
    if name in _ONLY_JOB:
        return JOB_CONTEXT
    return CONTEXT if name in _WITHOUT_JOB else CONTEXT | JOB_CONTEXT


def check_template(env: jinja2.Environment, name: str, path: Path) -> Iterator[str]:
    """Problems in one template file: syntax, unknown names, attributes and filters."""
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        yield f"{path}:1: not UTF-8 (byte {err.start}); save the template as UTF-8"
        return
    except OSError as err:
        yield f"{path}:1: cannot read: {err.strerror}"
        return
    if source.startswith("\ufeff"):  # the first line would not start with "#": no heading
        yield f"{path}:1: starts with a UTF-8 byte order mark; save it without one"
    try:
        ast = env.parse(source, name, str(path))
    except jinja2.TemplateSyntaxError as err:
        yield f"{path}:{err.lineno}: {err.message}"
        return
    known = _context_for(name) | set(env.globals) | JINJA_NAMES
    stored = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    stored |= {m.name for m in ast.find_all(nodes.Macro)}
    for var in ast.find_all(nodes.Name):
        if var.ctx == "load" and var.name not in known | stored:
            yield (f"{path}:{var.lineno}: undefined variable '{var.name}'"
                   f"{_hint(var.name, sorted(known))}")
    for get in ast.find_all(nodes.Getattr):
        if (isinstance(get.node, nodes.Name) and get.node.name in VIEW_NAMES
                and get.node.name not in stored and get.attr not in VIEW_FIELDS):
            yield (f"{path}:{get.lineno}: '{get.node.name}' has no value '{get.attr}'"
                   f"{_hint(get.attr, sorted(VIEW_FIELDS))}")
    for filt in ast.find_all(nodes.Filter):
        if filt.name not in env.filters:
            yield (f"{path}:{filt.lineno}: unknown filter '{filt.name}'"
                   f"{_hint(filt.name, sorted(env.filters))}")
    for test in ast.find_all(nodes.Test):
        if test.name not in env.tests:
            yield (f"{path}:{test.lineno}: unknown test '{test.name}'"
                   f"{_hint(test.name, sorted(env.tests))}")
    for ref in _references_in(ast):
        target = ref.template
        if isinstance(target, nodes.Const):
            try:
                # narrator's environments always have a loader
                env.loader.get_source(env, target.value)  # type: ignore[union-attr]  # (above)
            except jinja2.TemplateNotFound:
                yield f"{path}:{ref.lineno}: template '{target.value}' not found"
            except (OSError, UnicodeDecodeError) as err:
                yield f"{path}:{ref.lineno}: template '{target.value}' cannot be read: {err}"
    refused = []
    # what the sandbox refuses at run time, where it can be seen here (constant operands)
    for expr in ast.find_all((nodes.BinExpr, nodes.Concat, nodes.Filter, nodes.Call)):
        try:
            _constant(env, expr)
        except SecurityError as err:
            refused.append(f"{path}:{expr.lineno}: {err}")  # (an outer expression says it again)
        except Exception:
            pass
    yield from dict.fromkeys(refused)


def _template_files(dirs: Sequence[Path], pattern: str = "*.j2") -> list[tuple[str, Path]]:
    """Template files by the name they are loaded as (see ``dataset.template_files``)."""
    return [(f.name, f.path) for f in template_files(dirs, pattern)]


#: The filters that check their result's size before building it: safe to run here.
_SIZED_FILTERS = frozenset({"format", "replace", "center", "indent", "join"})


def _constant(env: jinja2.Environment, node: nodes.Node) -> Any:
    """The value of a constant expression, computed as the sandbox computes it at run time
    (operators, ``~``, the size-checked filters and ``str.format``, with their limits);
    nodes.Impossible when it is not constant or not one of those."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, (nodes.List, nodes.Tuple)):
        return [_constant(env, item) for item in node.items]
    sandbox: Any = env  # narrator's sandbox: call_binop, checked_concat
    if isinstance(node, nodes.BinExpr):
        return sandbox.call_binop(None, node.operator, _constant(env, node.left),
                                  _constant(env, node.right))
    if isinstance(node, nodes.Concat):
        return sandbox.checked_concat([_constant(env, part) for part in node.nodes])
    if isinstance(node, (nodes.Filter, nodes.Call)) and (node.dyn_args or node.dyn_kwargs):
        raise nodes.Impossible()
    args = [_constant(env, arg) for arg in getattr(node, "args", ())]
    kwargs = {kw.key: _constant(env, kw.value) for kw in getattr(node, "kwargs", ())}
    if isinstance(node, nodes.Filter) and node.name in _SIZED_FILTERS and node.node is not None:
        func = env.filters[node.name]
        first = [EvalContext(env)] if getattr(func, "jinja_pass_arg", None) else []  # |replace
        return func(*first, _constant(env, node.node), *args, **kwargs)
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) \
            and node.node.attr == "format":  # str.format, wrapped as the sandbox wraps it
        value = _constant(env, node.node.node)
        if isinstance(value, str):
            return env.getattr(value, "format")(*args, **kwargs)
    raise nodes.Impossible()


# The tags naming another template (by a constant, or an expression)
_Reference = nodes.Include | nodes.Extends | nodes.Import | nodes.FromImport


def _references_in(ast: nodes.Template) -> Iterator[_Reference]:
    """The include, extends, import and from-import tags in a template."""
    found: Iterator[_Reference] = ast.find_all(
        (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport))
    return found


def _references(env: jinja2.Environment, name: str) -> list[tuple[str, int]]:
    """(template name, line) of each include, extends or import in ``name`` naming a constant."""
    try:
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]  # loader is set
        ast = env.parse(source)
    except (jinja2.TemplateError, OSError, UnicodeDecodeError):
        return []  # reported as the template's own problem
    return [(n.template.value, n.lineno) for n in _references_in(ast)
            if isinstance(n.template, nodes.Const) and isinstance(n.template.value, str)]


def check_cycles(env: jinja2.Environment, names: Sequence[tuple[str, Path]]) -> Iterator[str]:
    """Templates that include, extend or import themselves, directly or round a cycle: Jinja
    recurses until Python's stack runs out, in every article."""
    # A cycle is reported from its first template in ``names``: the first on the search path,
    # the one a run loads.
    reported: set[frozenset[str]] = set()
    for start, path in names:
        # depth-first over the references from ``start``, looking for a way back to it
        todo: list[tuple[str, list[str], int]] = [(start, [start], 0)]
        seen: set[str] = set()
        while todo:
            name, chain, line = todo.pop()
            for target, lineno in _references(env, name):
                if target == start:
                    cycle = frozenset(chain)
                    if cycle not in reported:
                        reported.add(cycle)
                        first_line = line or lineno
                        yield (f"{path}:{first_line}: "
                               + ("includes or extends itself" if len(chain) == 1 else
                                  "is part of a cycle: " + " -> ".join([*chain, start]))
                               + " (every article would fail)")
                elif target not in seen:
                    seen.add(target)
                    todo.append((target, [*chain, target], line or lineno))


def check_overrides(env: jinja2.Environment, user_dirs: Sequence[Path]) -> Iterator[str]:
    """A user's template that no article would ever use: not named like a template narrator
    renders (or one a style adds), and not included, extended or imported by one."""
    known = {n for n, _ in _template_files(
        [BUILTIN_TEMPLATES, *(d for ds in STYLES.values() for d in ds)])}
    files = _template_files(user_dirs)
    used = set(known)
    todo = list(known)
    while todo:  # everything the used templates reach, through the whole loader chain
        for target, _ in _references(env, todo.pop()):
            if target not in used:
                used.add(target)
                todo.append(target)
    for name, path in _template_files(user_dirs, "*"):
        if f"{name}.j2" in known:  # intro.md, not intro.md.j2: Jinja never finds it
            yield f"{path}:1: not used: templates end in .j2 (did you mean '{name}.j2'?)"
    for name, path in files:
        if name not in used:
            yield (f"{path}:1: not used: no article renders '{name}'"
                   f"{_hint(name, sorted(known))}; an override must have the path of the "
                   f"template it replaces, relative to the folder given to --templates")


def check_records(data: Path | Sequence[Path]) -> Iterator[str]:
    """Problems in every record file and profile set under ``data``."""
    for kind, path in discover(data):
        if kind == "records":
            try:
                items = list(records.read_raw(path))
            except NarratorError as err:
                yield str(err)
                continue
            for where, raw in items:
                try:
                    rec = schema.to_comparison(raw, file=str(path), where=where)
                    for side in ("a", "b"):
                        _currency(getattr(rec, side).currency, f"{path}: {rec.id}: {side}.currency")
                except NarratorError as err:
                    yield str(err)
            continue
        yield from _check_profiles(path)


def _currency(code: str, where: str) -> None:
    try:
        check_currency(code)
    except NarratorError as err:
        raise ConfigError(f"{where}: {err.message}") from None


def _check_profiles(folder: Path) -> Iterator[str]:
    jobs_file, pairs_file = folder / "jobs.jsonl", folder / "pairs.jsonl"
    try:
        items = list(records.read_raw(jobs_file))
    except NarratorError as err:
        yield str(err)
        return
    for where, raw in items:
        line = where.removeprefix("line ")
        try:
            job = schema.to_job(raw, file=str(jobs_file), where=where)
        except NarratorError as err:
            record = None if err.record == where else err.record  # the line is said once
            yield f"{jobs_file}:{line}: " + ": ".join(
                p for p in (record, err.field, err.message) if p)
            continue
        try:
            check_currency(job.currency)
        except NarratorError as err:
            yield f"{jobs_file}:{line}: {job.id}: currency: {err.message}"
    # Pairs are resolved exactly as `narrate --all` resolves them (ids, job references).
    resolver = Resolver()
    with pairs_file.open(encoding="utf-8", errors="replace") as f:
        for n, text in enumerate(f, 1):
            if not text.strip():
                continue
            try:
                resolver.comparison("pairs", str(folder), f"line {n}", text)
            except NarratorError as err:
                if err.file != str(pairs_file):
                    continue  # a bad job: already reported at its own line above
                record = None if err.record == f"line {n}" else err.record
                yield f"{pairs_file}:{n}: " + ": ".join(
                    p for p in (record, err.field, err.message) if p)


def _slot_names(style: str, template_dirs: Sequence[Path]) -> list[str]:
    """A {% variants %} slot name used twice in a style's templates: the two would share each
    page's choice and their counts in `narrate variants`."""
    from .variants import style_slots

    first: dict[str, str] = {}
    problems = []
    for slot in style_slots(style, template_dirs, strict=False):
        where = f"{slot.file}:{slot.line}"
        if slot.name in first:
            problems.append(f"{where}: variants slot '{slot.name}' is already used at "
                            f"{first[slot.name]}; give each slot its own name")
        else:
            first[slot.name] = where
    return problems


def check(data: Path | Sequence[Path], *, locale: str = "en_US",
          template_dirs: Sequence[Path] = ()) -> list[str]:
    """Every problem found in the templates, the records under ``data`` and the locale."""
    problems: list[str] = []
    try:
        fmt = NumberFormat(locale)
    except NarratorError as err:
        problems.append(f"--locale: {err.message}")
        fmt = NumberFormat("en_US")
    # The user's templates and the seed ones, then each built-in style's own, each with the
    # loader chain a run in that style has.
    for style, dirs in STYLES.items():
        try:
            env = environment(fmt, template_dirs, dirs)
        except NarratorError as err:
            return [*problems, str(err)]
        roots = style_search_path(style, template_dirs) if style == DEFAULT_STYLE else dirs
        files = list(_template_files(roots))
        for name, path in files:
            problems += sorted(check_template(env, name, path),
                               key=lambda p: int(p[len(str(path)) + 1:].split(":", 1)[0]))
        if style == DEFAULT_STYLE:  # the user's templates: checked once, with the seed chain
            problems += check_cycles(env, files)
            problems += check_overrides(env, template_dirs)
        problems += [p for p in _slot_names(style, template_dirs) if p not in problems]
    try:
        problems += check_records(data)
    except NarratorError as err:
        problems.append(str(err))
    return problems
