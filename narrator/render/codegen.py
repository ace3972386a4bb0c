"""narrator's code generator, under both the plain and the fast path: nothing a template says is
computed while it compiles, and every ``~`` goes through the sandbox's length limit.

Jinja folds an expression whose parts are constants at compile time (its optimizer) and writes
an output's constant value in place, even in dead code: ``{% if false %}{{ '%0600000000d'|format(1)
}}{% endif %}`` ran while compiling, outside any time limit, and in ``--all`` killed the main
process before a worker started. Here only template text is constant; every expression runs when
the article renders, under the sandbox's checks and the time limit. The output is the same.
"""

from __future__ import annotations

from typing import Any

from jinja2 import compiler, nodes
from jinja2.compiler import Frame


class CodeGenerator(compiler.CodeGenerator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.optimizer = None  # no constant folding (see the module's docstring)

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame,
                               finalize: compiler.CodeGenerator._FinalizeInfo) -> str:
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()  # written as code, so it runs at render time
        return super()._output_child_to_const(node, frame, finalize)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # Jinja's str_join, with the sandbox's length limit (``_Sandbox.checked_concat``):
        # `~` doubles a string at each step, and a few dozen steps are gigabytes
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")
