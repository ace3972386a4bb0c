"""What of the templates an article's ``{% variants %}`` choices depend on, for incremental runs.

A page runs through one body of each slot it meets (the variant it was given), and the index
records which (``"variants"``). So the run key hashes each template with the *bodies* of its
variants masked (the tags, weights and ``if`` conditions stay: they decide which variant a page
gets), and ``table`` holds, per slot, a hash of each variant's body. An article is unchanged when
the key matches and the bodies its recorded choices name hash as they did (``vkey``): editing
one variant's text re-renders only the pages that chose it.

Sound before precise: whatever this cannot vouch for stays in the key whole (every page is
rendered again), or makes every variant of a slot count as one (every page that met the slot):

- a variants tag is masked only if its bodies hold no tags but ``if``/``elif``/``else``/nested
  variants (a ``block`` or ``macro`` in a body can run whichever variant is chosen; a ``set``
  changes how the template around it compiles);
  the set of names a masked body reads (not attributes) stays in the key (the renderer
  computes ``chart``, ``places``, ... only when some template reads them);
- ``import``/``from`` anywhere: nothing is masked (a template imported without context runs
  its variants unrecorded, with no page's Variation);
- a template that cannot be lexed or whose tags do not balance: nothing is masked;
- the recorded choice is the last one made for the slot's name on the page. It names every
  body the page used when a slot has no ``if`` and the same weights wherever its name occurs
  (every run on a page draws the same variant), or when its one tag runs at most once per page
  (not in a loop, macro, call, included or extended template, or a block that may be rendered
  twice); otherwise each position's hash is the hash of all the slot's bodies.

The slots and their variants are found by ``variants.read`` (the one reader of ``{% variants %}``
in a template's source, also behind `narrate variants` and `narrate check`), with Jinja's own
lexer and the renderer's settings, so whitespace control and trimming are as Jinja sees them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import jinja2

from .variants import Reading, Token, read

# Tags a maskable body may hold: output only, each runs where it stands and only there.
_BODY_TAGS = frozenset({"if", "elif", "else", "endif", "variants", "or", "endvariants"})
# Around a tag that runs at most once per render.
_ONCE = frozenset({"if", "block", "variants"})


def _h(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _tokens_bytes(tokens: list[Token]) -> bytes:
    return "".join(f"{t}\x1f{v}\x1e" for t, v in tokens).encode("utf-8", "surrogatepass")


@dataclass
class Occurrence:
    """One ``{% variants %}`` tag."""

    slot: str
    path: str  # the template's path in its folder
    builtin: bool  # in narrator's own template folder (where the styles' folders are)
    options: tuple[tuple[Token, ...], ...]  # each variant's weight/if tokens
    bodies: list[str]  # each variant's body, hashed
    enclosing: frozenset[str]  # the tags open around it


@dataclass
class Scan:
    """One template file: its key part, its slots, and what makes a choice uncertain."""

    skeleton: bytes
    occurrences: list[Occurrence] = field(default_factory=list)
    imports: bool = False  # an import/from tag
    reruns: bool = False  # an include, self/super, or a block inside a loop or macro
    targets: set[str] = field(default_factory=set)  # names it extends/includes/imports


def scan(name: str, data: bytes, builtin: bool = False) -> Scan | None:
    """A template file's Scan; None if it is not one narrator can analyse (then it is hashed
    whole and nothing is masked anywhere, unless it is not UTF-8: Jinja cannot load it)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Scan(skeleton=data)
    try:
        return _scan(name, builtin, data, read(text))
    except jinja2.TemplateSyntaxError:  # Unbalanced too
        return None


def _scan(name: str, builtin: bool, data: bytes, reading: Reading) -> Scan:
    found = Scan(skeleton=data)
    toks = reading.tokens
    found.reruns = ("name", "self") in toks or ("name", "super") in toks
    for tag in reading.tags:
        inner = [toks[k] for k in tag.inner]
        if tag.name in ("import", "from"):
            found.imports = True
        if tag.name in ("include", "extends", "import", "from"):
            if tag.name == "include":
                found.reruns = True
            target = inner[0] if inner else ("", "")
            if target[0] != "string":  # a computed name could be any template
                found.reruns = True
            else:
                found.targets.add(target[1][1:-1])
        if tag.name == "block" and not set(tag.enclosing) <= {"if", "block"}:
            found.reruns = True
    masked: list[tuple[int, int, str]] = []  # (start, end) of each masked body, its names
    for f in reading.slots:  # an outer slot before those inside it
        spans = f.bodies()
        bodies = [toks[r.start:r.stop] for r in spans]
        found.occurrences.append(Occurrence(
            slot=f.slot, path=name, builtin=builtin,
            options=tuple(tuple(toks[k] for k in r) for r in f.options()),
            bodies=[_h(_tokens_bytes(b)) for b in bodies],
            enclosing=frozenset(f.tags[0].enclosing)))
        inside = masked and masked[-1][1] > f.tags[0].begin  # within an outer masked body
        if not inside and f.inside <= _BODY_TAGS:
            for r, body in zip(spans, bodies):
                # The names a body reads stay in the key: the renderer computes some values
                # only if a template reads them (an attribute's name, after ".", is no such).
                names = " ".join(sorted({v for k, (t, v) in enumerate(body) if t == "name"
                                         and (k == 0 or body[k - 1] != ("operator", "."))}))
                masked.append((r.start, r.stop, names))
    if masked:
        parts, at = [], 0
        for a, b, names in masked:
            parts += [*toks[at:a], ("masked", names)]
            at = b
        found.skeleton = _tokens_bytes(parts + toks[at:])
    return found


def _loads(occ: Occurrence, name: str) -> bool:
    """Whether a template may load ``occ``'s file by ``name`` (extends, include): a folder's
    path, narrator's folder's below any style folder, or "narrator/..." (the built-in one)."""
    if occ.path == name or (occ.builtin and occ.path.endswith("/" + name)):
        return True
    return occ.builtin and name.startswith("narrator/") and occ.path == name[len("narrator/"):]


def analyse(files: list[tuple[str, bool, bytes]], names: tuple[str, ...] = ()
            ) -> tuple[list[bytes], dict[str, tuple[str, ...]]]:
    """Each file's key part (in order), and the table: slot -> a hash per variant position.
    ``files``: (path in its folder, whether the folder is narrator's own, bytes); ``names``:
    the templates the renderer loads. A file of narrator's that no name or tag can load (an
    override of the same name shadows it) is left out of the table: its slots never run."""
    scans = [scan(name, data, builtin) for name, builtin, data in files]
    if any(s is None or s.imports for s in scans):
        return [data for _, _, data in files], {}  # see the module docstring
    done = [s for s in scans if s is not None]
    reruns = any(s.reruns for s in done)
    targets = set().union(*(s.targets for s in done))
    user = {path for path, builtin, _ in files if not builtin}

    def loadable(occ: Occurrence) -> bool:
        if not occ.builtin or any(_loads(occ, t) for t in targets):
            return True
        return any(n not in user and (occ.path == n or occ.path.endswith("/" + n)) for n in names)

    by_slot: dict[str, list[Occurrence]] = {}
    for s in done:
        for occ in s.occurrences:
            if loadable(occ):
                by_slot.setdefault(occ.slot, []).append(occ)
    table = {}
    for slot, occs in by_slot.items():
        n = max(len(o.bodies) for o in occs)
        same_draw = len({o.options for o in occs}) == 1 and not any(
            ("name", "if") in opt for o in occs for opt in o.options)
        once = (len(occs) == 1 and not reruns and occs[0].enclosing <= _ONCE
                and not any(_loads(occs[0], t) for t in targets))
        if same_draw or once:
            table[slot] = tuple(
                _h("\x1e".join(o.bodies[k] if k < len(o.bodies) else "-" for o in occs).encode())
                for k in range(n))
        else:  # the page may have used a variant other than the one recorded
            every = _h("\x1e".join(b for o in occs for b in o.bodies).encode())
            table[slot] = (every,) * n
    return [s.skeleton for s in done], table  # done is scans: none is None here


def vkey(chosen: object, table: dict[str, tuple[str, ...]]) -> str | None:
    """A digest of the bodies an article's recorded choices ({slot or slot.a/.b: 1-based
    position}) name, as ``table`` hashes them now; None for a record that is not narrator's.
    Taken in the record's order (the index writes them sorted): reordered, it does not match."""
    if not isinstance(chosen, dict):
        return None
    parts = []
    for name, pos in chosen.items():
        if not isinstance(name, str) or type(pos) is not int:
            return None
        hashes = table.get(name.partition(".")[0], ())
        body = hashes[pos - 1] if 0 < pos <= len(hashes) else "?"  # gone: never matches
        parts.append(f"{name}={pos}:{body}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
