"""The speed layer: the Jinja internals narrator overrides to render its templates faster.

Nothing here changes what a template means. ``environment(fast=False)`` and
``Renderer(fast=False)`` render with plain Jinja (the same sandbox, filters, limits and
templates), and ``tests/render/test_fast.py`` renders the reference records and a seeded sample
of BLS pages both ways and compares every output format byte for byte;
``benchmarks/bench_render.py`` prints what the layer is worth.

What is overridden, and why:

* ``_CodeGenerator`` (Jinja's code generator, not a public API). ``view.field`` compiles to a
  plain attribute read when the object is exactly one of the trusted view classes and the field
  one of its declared public slots: the sandbox otherwise checks every attribute read through a
  call, and templates read little else. ``table(...)`` calls narrator's own function directly
  while the name still holds it, skipping the sandbox's call checks.
* ``environment.call``: the same shortcut for ``table`` where the compiled one does not apply.
* ``_Context.resolve_or_missing``: one dict lookup per name and dict instead of a membership
  test and a second lookup; every block and template resolves each name it reads.
* ``inline_blocks``: a renderer's own template compiled with its top-level blocks written in
  place where nothing can tell, so rendering it calls no block functions.
* ``Sections``: the templates of one article render in one Context, reset between templates to
  what a new one would hold, instead of a new Context (and a copy of the globals) per template;
  the blocks of a template that extends nothing are shared between renders.

Written against Jinja 3.1 (``CodeGenerator.visit_Getattr``, ``visit_Call``, ``visit_Template``,
``signature`` and ``temporary_identifier``; ``Context.vars``, ``parent``, ``blocks``,
``exported_vars`` and ``name``; ``Template.root_render_func`` and ``from_code``). ``SUPPORTED``
says whether the installed Jinja is in that range; outside it, ``environment()`` and
``Renderer`` use plain Jinja whatever ``fast`` says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import CodeType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Context, missing

from .. import markdown
from . import codegen
from .cache import TemplateCache

#: The Jinja versions (major, minor), from inclusive to exclusive, this module was written for.
VERSIONS = ((3, 1), (3, 2))


def supports(version: str) -> bool:
    """Whether the overrides here fit a Jinja ``version``.

    >>> supports("3.1.6"), supports("3.2.0"), supports("3.0.3"), supports("3.1.0rc1")
    (True, False, False, True)
    """
    found = re.match(r"(\d+)\.(\d+)", version)
    if found is None:
        return False
    return VERSIONS[0] <= (int(found[1]), int(found[2])) < VERSIONS[1]


#: Whether the installed Jinja is one the overrides were written for.
SUPPORTED = supports(jinja2.__version__)

# Module globals of compiled templates holding the trusted classes: narrator_trusted_0, ...
_TRUSTED = "narrator_trusted_"
# ... and narrator's own functions that templates call directly: narrator_own_0, ...
_OWN = "narrator_own_"


class _CodeGenerator(codegen.CodeGenerator):
    """Compiles ``view.field`` to a plain attribute read when the object is a trusted view.

    Objects of the ``trusted`` types hold only data (slotted dataclasses, no public methods),
    so reading one of their declared public fields is safe; the type is checked inline, and
    anything else still goes through the sandbox's ``environment.getattr``.
    """

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        # trusted_fields, trusted_types, own_calls: FastPath's, mixed into the environment
        owners = self.environment.trusted_fields.get(node.attr)  # type: ignore[attr-defined]  # (above)
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
        own = self.environment.own_calls  # type: ignore[attr-defined]  # FastPath's
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
        for i in range(len(self.environment.trusted_types)):  # type: ignore[attr-defined]  # FastPath's
            self.writeline(f"{_TRUSTED}{i} = environment.trusted_types[{i}]")
        for name, i in self.environment.own_calls.items():  # type: ignore[attr-defined]  # FastPath's
            self.writeline(f"{_OWN}{i} = environment.globals[{name!r}]")


class _Context(Context):
    """Jinja's Context, with a name looked up once per dict (Jinja's own lookup tests
    membership, then gets the item)."""

    def resolve_or_missing(self, key: str) -> Any:
        value = self.vars.get(key, missing)
        return self.parent.get(key, missing) if value is missing else value


class FastPath:
    """Mixed into the sandboxed environment (``environment(fast=True)``): declared public
    fields of the ``trusted`` types are read directly (see ``_CodeGenerator``) and narrator's
    own globals are called directly; everything else goes through the sandbox's checks."""

    code_generator_class: type[CodeGenerator] = _CodeGenerator
    context_class: type[Context] = _Context
    call: Callable[..., Any]  # the sandbox's, then ours (see __init__)

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

        # An instance attribute, so compiled templates' environment.call finds it first.
        self.call = call


# A block body holding one of these keeps its block: they bind names, which a block scopes.
_BINDS = (nodes.Assign, nodes.AssignBlock, nodes.Macro, nodes.CallBlock, nodes.FilterBlock,
          nodes.With, nodes.Import, nodes.FromImport, nodes.Block, nodes.Scope,
          nodes.OverlayScope, nodes.ScopedEvalContextModifier)


def inline_blocks(env: jinja2.Environment, name: str) -> jinja2.Template | None:
    """The template ``name`` compiled with its blocks written in place, where nothing can
    tell; None when it has no such block (load it as usual). Not cached in ``env``.

    Calling a block costs a dict lookup, a generator and a lookup of each name it reads. A
    template rendered as it is (it extends nothing) is the only user of its own blocks, so a
    block at its top level (not in a loop or macro) whose body binds no name (``{% set %}``,
    ``macro``, ...: a block scopes them) renders the same written in place. A template that
    reads ``self`` or ``super`` keeps every block. Templates that extend this file load it
    under another name, so they still see its blocks."""
    source, filename, uptodate = env.loader.get_source(  # type: ignore[union-attr]  # loader is set
        env, name)
    if "block" not in source:
        return None
    bcc = env.bytecode_cache if isinstance(env.bytecode_cache, TemplateCache) else None
    bucket = bcc.code(env, "inline", name, filename, source) if bcc else None
    if bucket is not None and bucket.code is not None:  # compiled by an earlier run
        if bucket.code.co_filename == _NOTHING_INLINED:
            return None
        return env.template_class.from_code(env, bucket.code, env.make_globals(None), uptodate)
    code = _inlined(env, source, name, filename)
    if bcc is not None and bucket is not None:
        bucket.code = code or compile("", _NOTHING_INLINED, "exec")
        bcc.set_bucket(bucket)
    if code is None:
        return None
    return env.template_class.from_code(env, code, env.make_globals(None), uptodate)


# The file name of the cache entry that says a template has nothing to inline.
_NOTHING_INLINED = "<narrator: nothing to inline>"


def _inlined(env: jinja2.Environment, source: str, name: str,
             filename: str | None) -> CodeType | None:
    """``inline_blocks``'s compilation of a template's source; None: nothing to inline."""
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
    code: CodeType = env.compile(ast, name, filename)
    return code


def _extends(env: jinja2.Environment, name: str) -> bool:
    """Whether the template ``name`` extends another (has an ``{% extends %}`` tag)."""
    from .environment import template_facts

    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]  # loader is set
    # Parsing is start-up time: only templates naming the tag need it (and it is cached).
    return "extends" in source and bool((template_facts(env, name) or {}).get("extends"))


class Sections:
    """How a renderer loads its templates and renders an article's sections with the fast
    path: one Context per article, reused for every template of it."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        # template name -> its blocks as a Context holds them, shared between renders; None
        # for a template that extends another ({% extends %} adds to a Context's blocks)
        self.blocks: dict[str, dict[str, list[Any]] | None] = {}

    def load(self, name: str) -> jinja2.Template | None:
        """The renderer's own compilation of ``name`` (None: load it as usual)."""
        return inline_blocks(self.env, name)

    def add(self, template: jinja2.Template) -> None:
        """Note a template the renderer will render (once, after loading it)."""
        name: str = template.name  # type: ignore[assignment]  # loaded by name: not None
        self.blocks[name] = None if _extends(self.env, name) else {
            k: [v] for k, v in template.blocks.items()}

    def context(self, values: dict[str, Any]) -> Context:
        """One Context for all the templates of an article. ``values`` already holds the
        globals, so it is shared, not copied."""
        return self.env.context_class(self.env, values, None, {})

    def render(self, template: jinja2.Template, context: Context) -> str:
        """Render one template in the article's Context, reset to what a new Context for the
        template holds: its own blocks, no variables."""
        context.vars, context.exported_vars, context.name = {}, set(), template.name
        blocks = self.blocks[template.name]  # type: ignore[index]  # loaded by name: not None
        context.blocks = {k: [v] for k, v in template.blocks.items()} if blocks is None else blocks
        return "".join(template.root_render_func(context))
