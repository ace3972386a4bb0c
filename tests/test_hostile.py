"""Bad records never crash: every outcome is an article or a one-line NarratorError.

Property tests start from the seed record and break it: wrong types, missing and extra
fields, NaN and infinities, huge, tiny and negative numbers, empty, blank and 10,000-character
strings, control characters and lone surrogates, "$90,615" where a number belongs, random
bytes, deep nesting, empty files, duplicate ids, and YAML's own oddities (tags, dates,
non-text keys, alias bombs and loops). Each example goes through ``api.narrate`` (and a
sample through the CLI); the only outcomes allowed are a str, or a NarratorError whose one-line
message starts with the file and, for a contract error, names the record and the field.

``api.narrate`` builds a Renderer (compiling every template, ~20 ms) per call; here one
Renderer per locale is shared, so thousands of examples fit in seconds. Run with ``-s`` to see
how many examples each class of input ran.
"""

from __future__ import annotations

import copy
import json
import re
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from narrator import api
from narrator.cli import main
from narrator.errors import NarratorError, RecordError
from narrator.formats import FORMATS
from narrator.render import renderer as render
from narrator.schema import record_id
from tests.conftest import ROOT, cli

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"
SEED_RAW: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
SEED_ID = SEED_RAW["id"]

RUN = Counter()  # examples run per class of hostile input (printed at the end with -s)

HOSTILE = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.filter_too_much])


@pytest.fixture(scope="module", autouse=True)
def shared_renderer() -> Iterator[None]:
    """``api.narrate`` as is, but with one Renderer per (locale, template dirs)."""
    made: dict[tuple, render.Renderer] = {}
    real = api.Renderer

    def renderer(*, locale: str = "en_US", template_dirs=(), style: str = "seed",
                 variation: bool = True) -> render.Renderer:
        key = (locale, tuple(template_dirs), style, variation)
        if key not in made:
            made[key] = real(locale=locale, template_dirs=template_dirs, style=style,
                             variation=variation)
        return made[key]

    api.renderer_for.cache_clear()  # (it may hold renderers other tests made)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(api, "Renderer", renderer)
        yield
    api.renderer_for.cache_clear()
    print("\nhostile examples run per class:",
          ", ".join(f"{k} {v}" for k, v in sorted(RUN.items())), f"(total {sum(RUN.values())})")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


# --- the oracle ---------------------------------------------------------------------------
def outcome(path: Path, raw: object = None, **kwargs: Any) -> str | NarratorError:
    """Narrate ``path``: an article, or the NarratorError, checked against the contract."""
    try:
        text = api.narrate(path, **kwargs)
    except NarratorError as err:
        check_error(err, path, raw)
        return err
    assert isinstance(text, str) and text.strip()
    text.encode("utf-8")  # whatever was accepted can be written out
    return text


def check_error(err: NarratorError, path: Path, raw: object) -> None:
    msg = str(err)
    assert msg.startswith(f"{path}: "), msg
    assert "\n" not in msg and "\r" not in msg and len(msg) < 1000, msg
    msg.encode("utf-8")  # printable on any UTF-8 stderr
    if err.field is not None:  # a contract error: which record, which field
        assert err.record, msg
        rid = record_id(raw)
        if rid is not None and isinstance(err, RecordError):
            assert err.record == rid, msg


def write(folder: Path, raw: object, fmt: str) -> Path:
    """The record as a ``fmt`` file (YAML falls back to JSON, which YAML also reads)."""
    path = folder / f"record.{fmt}"
    if fmt == "yaml":
        try:
            text = yaml.safe_dump(raw, allow_unicode=False, sort_keys=False)
        except yaml.YAMLError:
            text = json.dumps(raw)
    else:
        text = json.dumps(raw)  # NaN and Infinity come out as the tokens JSON forbids
    path.write_text(text, encoding="utf-8")
    return path


# --- where to break the seed --------------------------------------------------------------
def _paths(obj: object, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for n, v in enumerate(obj):
            yield (*prefix, n)
            yield from _paths(v, (*prefix, n))


PATHS = list(_paths(SEED_RAW))


def get(raw: object, path: tuple) -> Any:
    for part in path:
        raw = raw[part]  # type: ignore[index]
    return raw


LEAVES = [p for p in PATHS if not isinstance(get(SEED_RAW, p), (dict, list))]
NUMERIC = [p for p in LEAVES if isinstance(get(SEED_RAW, p), (int, float))
           and not isinstance(get(SEED_RAW, p), bool)]
TEXTUAL = [p for p in LEAVES if isinstance(get(SEED_RAW, p), str)
           and p[-1] not in ("id", "currency", "unit")]
# Every optional job field the seed leaves null or absent, so new values land there too.
JOB_FIELDS = ["satisfaction", "plural", "article", "display_title", "description", "lgbt_pct",
              "salary_range", "time_to_qualify", "degree", "skills", "gender_pct"]


def dotted(path: tuple) -> str:
    """A path as the error messages write it: a.degree.pct, a.skills[0], a.gender_pct[...]."""
    out = ""
    for i, part in enumerate(path):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i and path[i - 1] in ("gender_pct", "race_pct"):
            out += "[...]"
        else:
            out += f".{part}" if out else part
    return out


def is_dict_at(raw: object, path: tuple) -> bool:
    try:
        return isinstance(get(raw, path), dict)
    except (KeyError, IndexError, TypeError):
        return False


def mutate(raw: dict, path: tuple, value: Any = None, *, delete: bool = False) -> dict:
    raw = copy.deepcopy(raw)
    parent = get(raw, path[:-1])
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return raw


# --- hostile values -----------------------------------------------------------------------
EDGE_NUMBERS = [0, -0.0, -1, -1e-300, 1e-300, 5e-324, 0.1 + 0.2, 99.99999999, 100, 100.0000001,
                150, 150.1, 1e6, 1e12, 1e12 + 1, 10**12, 10**12 + 1, 2**53 + 1, 2**63, 2**64,
                -2**63, 10**30, 1e308, float("inf"), float("-inf"), float("nan")]
NUMBERS = st.one_of(st.sampled_from(EDGE_NUMBERS),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(min_value=-10**40, max_value=10**40))
MONEY_STRINGS = st.one_of(
    st.sampled_from(["$90,615", "90,615", "90615", "90 615", "90.615,00 €", "€90.615", "£1,000",
                     "1e5", "NaN", "Infinity", "-1", "", " ", "0x10", "١٢٣", "12%", "1_000",
                     "90,615.50", "$", ",", "null", "true"]),
    st.from_regex(r"\A[$€£¥]?\d{1,3}(,\d{3}){0,3}(\.\d{1,2})?\Z"))
SPECIAL_TEXT = ["", " ", "   ", "\t\n", "\u00a0", "\u3000", "\u200b", "x" * 10_000, "y" * 201,
                "z " * 100, "x" * 20_001, "\x00", "a\x1bb", "\x7f", "a\x85b", "\ud800",
                "a\udfffb", "\ufeff", "a\u2028b", "$90,615", "<script>alert(1)</script>",
                "# head", "| a | b |", "1. one", "{{ a.__class__ }}", "{% include '/etc/passwd' %}",
                "a\nb\r\nc", "e\u0301", "👩\u200d💻", "软件工程师", "مهندس", "ß"]
TEXT = st.one_of(st.sampled_from(SPECIAL_TEXT),
                 st.text(max_size=40),
                 st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
                 st.text(st.characters(max_codepoint=0x3000), min_size=150, max_size=260))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12)
FORMAT = st.sampled_from(["json", "yaml", "jsonl"])


@st.composite
def mutations(draw: Callable) -> tuple[dict, list[str]]:
    """The seed with one to four things broken; also which classes of breakage."""
    raw, kinds = copy.deepcopy(SEED_RAW), []
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(raw)]
        kind = draw(st.sampled_from(["wrong type", "missing field", "extra field", "number",
                                     "numeric string", "string", "null"]))
        if kind == "missing field" and not paths:  # nothing left to take away
            kind = "extra field"
        if kind == "missing field":
            path = draw(st.sampled_from(paths))
            raw = mutate(raw, path, delete=True) if not isinstance(path[-1], int) else \
                mutate(raw, path, [])  # a list item: empty the list instead
        elif kind == "extra field":
            where = draw(st.sampled_from([(), ("a",), ("b",), ("a", "degree"),
                                          ("b", "salary_range")]))
            if not is_dict_at(raw, where):
                where = ()
            name = draw(st.one_of(st.sampled_from(["salry", "titel", "Title", "id ", "",
                                                   "__class__",
                                                   "x\ny", "x`y", "k" * 300, "\ud800"]), TEXT))
            assume(name not in get(raw, where))
            raw = mutate(raw, (*where, name), draw(JSON_VALUES))
        else:
            side = draw(st.sampled_from(["a", "b"]))
            if not is_dict_at(raw, (side,)):
                raw[side] = {}
            field = draw(st.sampled_from(
                sorted({p[1] for p in PATHS if len(p) > 1} | {*JOB_FIELDS})))
            value = {"wrong type": JSON_VALUES, "number": NUMBERS, "numeric string": MONEY_STRINGS,
                     "string": TEXT, "null": st.none()}[kind]
            raw = mutate(raw, (side, field), draw(value))
        kinds.append(kind)
    return raw, kinds


# --- properties ---------------------------------------------------------------------------
@pytest.mark.slow
@HOSTILE
@given(case=mutations(), fmt=FORMAT)
def test_broken_seed_never_crashes(folder, case, fmt):
    raw, kinds = case
    RUN["broken seed (examples)"] += 1
    RUN.update(f"broken seed: {k} (mutations)" for k in kinds)
    outcome(write(folder, raw, fmt), raw)


@pytest.mark.slow
@HOSTILE
@given(path=st.sampled_from(LEAVES), value=st.sampled_from([[], {}, [1], {"x": 1}, True, False]))
def test_wrong_type_names_record_and_field(folder, path, value):
    assume(not (isinstance(value, bool) and path[-1] == "max_top_coded"))
    RUN["wrong type at a leaf"] += 1
    raw = mutate(SEED_RAW, path, value)
    err = outcome(write(folder, raw, "json"), raw)
    assert isinstance(err, RecordError)
    assert (err.record, err.field) == (record_id(raw) or "record 1", dotted(path)), str(err)


@pytest.mark.slow
@HOSTILE
@given(path=st.sampled_from(NUMERIC), text=MONEY_STRINGS)
def test_numbers_written_as_text_are_refused(folder, path, text):
    RUN["numeric string"] += 1
    raw = mutate(SEED_RAW, path, text)
    err = outcome(write(folder, raw, "json"), raw)
    assert isinstance(err, RecordError)
    assert (err.record, err.field) == (SEED_ID, dotted(path)), str(err)
    assert "got str" in err.message


@pytest.mark.slow
@HOSTILE
@given(path=st.sampled_from(NUMERIC), number=NUMBERS, fmt=st.sampled_from(["json", "yaml"]))
def test_extreme_numbers(folder, path, number, fmt):
    RUN["extreme number"] += 1
    raw = mutate(SEED_RAW, path, number)
    result = outcome(write(folder, raw, fmt), raw)
    if isinstance(result, NarratorError):
        assert result.field is not None or "JSON" in result.message, str(result)
    else:  # accepted: every format renders it, and the shared renderer, whose caches hold
        # every earlier example's values, writes what a new one (no caches) writes
        path_ = folder / f"record.{fmt}"
        article = api.render(api.load_one(path_), render.Renderer())
        for f in FORMATS:
            assert outcome(path_, raw, format=f) == FORMATS[f](article)


@pytest.mark.slow
@HOSTILE
@given(path=st.sampled_from(TEXTUAL), text=TEXT)
def test_hostile_strings(folder, path, text):
    RUN["string"] += 1
    raw = mutate(SEED_RAW, path, text)
    result = outcome(write(folder, raw, "json"), raw)
    if isinstance(result, NarratorError):
        assert (result.record, result.field) == (SEED_ID, dotted(path)), str(result)
    else:
        for f in FORMATS:
            outcome(folder / "record.json", raw, format=f)


@pytest.mark.slow
@HOSTILE
@given(doc=JSON_VALUES, fmt=FORMAT)
def test_random_documents(folder, doc, fmt):
    RUN["random document"] += 1
    assert isinstance(outcome(write(folder, doc, fmt), doc), NarratorError)


SEED_BYTES = SEED.read_bytes()


@pytest.mark.slow
@HOSTILE
@given(data=st.one_of(
    st.binary(max_size=300),
    st.builds(lambda n: SEED_BYTES[:n], st.integers(0, len(SEED_BYTES))),  # truncated
    st.builds(lambda n, b: SEED_BYTES[:n] + b + SEED_BYTES[n + 1:],  # one byte replaced
              st.integers(0, len(SEED_BYTES) - 1), st.binary(min_size=1, max_size=2))),
    suffix=st.sampled_from([".json", ".jsonl", ".yaml", ".yml"]))
def test_random_bytes(folder, data, suffix):
    RUN["bytes"] += 1
    path = folder / f"bytes{suffix}"
    path.write_bytes(data)
    outcome(path)


@pytest.mark.slow
@settings(HOSTILE, max_examples=60)
@given(depth=st.integers(1, 12_000), kind=st.sampled_from(["[", "{"]),
       where=st.sampled_from(["top", "a.skills", "a.gender_pct", "extra"]),
       suffix=st.sampled_from([".json", ".yaml"]))
def test_deep_nesting(folder, depth, kind, where, suffix):
    RUN["deep nesting"] += 1
    if suffix == ".yaml":
        depth = min(depth, 2_000)  # PyYAML gives up near 1,000 levels; more only costs time
    junk = "[" * depth + "]" * depth if kind == "[" else '{"k":' * depth + "1" + "}" * depth
    if where == "top":
        text = junk
    else:
        doc = copy.deepcopy(SEED_RAW)
        if where == "extra":
            doc["a"]["junk"] = "@@JUNK@@"
        else:
            doc["a"][where[2:]] = "@@JUNK@@"
        text = json.dumps(doc).replace('"@@JUNK@@"', junk)  # JSON is YAML too
    path = folder / f"deep{suffix}"
    path.write_text(text, encoding="utf-8")
    outcome(path)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
@pytest.mark.parametrize("kind", ["[", "{"])
def test_ten_thousand_deep(folder, suffix, kind):
    RUN["deep nesting"] += 1
    text = "[" * 10_000 + "]" * 10_000 if kind == "[" else "{a: " * 10_000 + "1" + "}" * 10_000
    path = folder / f"deep10k{suffix}"
    path.write_text(text if suffix == ".yaml" or kind == "[" else text.replace("a:", '"a":'))
    err = outcome(path)
    assert isinstance(err, RecordError) and "nested too deeply" in err.message


EMPTY = ["", " ", "\n\n", "\ufeff", "\ufeff \n", "null", "~", "[]", "{}", "---", "--- \n...",
         '""', "0", "[null]", "[[]]", "[{}]"]


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".yaml", ".yml"])
@pytest.mark.parametrize("text", EMPTY, ids=repr)
def test_empty_files(folder, text, suffix):
    RUN["empty file"] += 1
    path = folder / f"empty{suffix}"
    path.write_text(text, encoding="utf-8")
    assert isinstance(outcome(path), NarratorError)


# --- duplicate ids ------------------------------------------------------------------------
@pytest.mark.slow
@settings(HOSTILE, max_examples=150)
@given(n=st.integers(2, 5), broken=st.lists(st.integers(0, 4), max_size=2),
       fmt=st.sampled_from(["json", "jsonl", "yaml"]),
       pick=st.sampled_from([None, SEED_ID, "no-such-record", "X Y", ""]))
def test_duplicate_ids(folder, n, broken, fmt, pick):
    RUN["duplicate ids"] += 1
    docs = [copy.deepcopy(SEED_RAW) for _ in range(n)]
    for i in broken:
        if i < n:
            docs[i]["a"]["salary"] = "$90,615"
    if fmt == "jsonl":
        path = folder / "dups.jsonl"
        path.write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    else:
        path = write(folder, docs, fmt)
    result = outcome(path, record_id=pick)
    # Without --record every record is read and checked; with it only the one it names (the
    # first with that id), so a broken other record does not block it.
    if pick is None and any(i < n for i in broken):
        assert isinstance(result, RecordError) and result.field == "a.salary"
    elif pick is None:
        assert isinstance(result, RecordError) and f"holds {n} records" in result.message
    elif pick == SEED_ID and 0 in broken:
        assert isinstance(result, RecordError) and result.field == "a.salary"
    elif pick == SEED_ID:
        assert result == api.narrate(SEED)  # the first of the identical records
    else:
        assert isinstance(result, RecordError) and "no record with id" in result.message


def test_duplicate_ids_on_the_command_line(folder):
    path = write(folder, [SEED_RAW, SEED_RAW], "json")
    code, out, err = cli(path)
    assert (code, out) == (1, "")
    assert err == f"narrate: error: {path}: holds 2 records; choose one with --record ID\n"
    code, out, err = cli(path, "--record", SEED_ID)
    assert (code, out, err) == (0, api.narrate(SEED), "")
    RUN["duplicate ids"] += 2


# --- YAML oddities ------------------------------------------------------------------------
YAML_SCALARS = ["!!binary aGVsbG8=", "!!set {a, b}", "!!timestamp 2020-01-01", "2020-01-01",
                "2020-01-01 10:00:00", "!!omap [a: 1, b: 2]", "!!pairs [a: 1]", "!!float nan",
                ".nan", ".inf", "-.inf", "yes", "no", "on", "~", "0o17", "0x1F", "1_000",
                "1:30", "!!str 1", "!!int '1'", "!!python/object/apply:os.system ['true']",
                "!!python/name:os.system", "!!python/tuple [1, 2]", "!foo bar", "{1: 2}",
                "{[1]: 2}", "{null: 1}", "{1.5: x}", "{yes: x}", '"\\ud800"', '"\\U0001F680"',
                '"\\e[31m"', '"\\0"', "9" * 5000, "1" + ":59" * 50, "&x [*x]", "*undefined",
                "!!null ''", "|\n  block", "[" * 50 + "]" * 50, "'" + "x" * 20_001 + "'"]


@pytest.mark.slow
@settings(HOSTILE, max_examples=400)
@given(path=st.sampled_from([("id",), *PATHS]), snippet=st.sampled_from(YAML_SCALARS))
def test_yaml_oddities(folder, path, snippet):
    RUN["yaml oddity"] += 1
    doc = mutate(SEED_RAW, path, "@@VALUE@@")
    text = yaml.safe_dump(doc, sort_keys=False, default_flow_style=True, width=10**9)
    path_ = folder / "odd.yaml"
    path_.write_text(text.replace("'@@VALUE@@'", snippet), encoding="utf-8")
    outcome(path_, None if path == ("id",) else doc)


def laughs(width: int, depth: int, where: str) -> str:
    """A billion-laughs document: ``width ** depth`` values from a few hundred bytes."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, depth)]
    last = f"*l{depth - 1}"
    if where == "top":
        return "\n".join(lines) + "\n"
    body = {"field": f"id: x\na: {{id: a, title: t, skills: {last}}}\nb: {{id: b, title: b}}\n",
            "list": f"records: {last}\n", "extra": f"id: x\na: {{id: a, title: t, junk: {last}}}\n"
                                                    "b: {id: b, title: b}\n"}[where]
    return "defs:\n" + "".join(f"  {line}\n" for line in lines) + body


@pytest.mark.slow
@settings(HOSTILE, max_examples=80)
@given(width=st.integers(2, 12), depth=st.integers(1, 12),
       where=st.sampled_from(["top", "field", "list", "extra"]))
def test_alias_bombs_stay_small(folder, width, depth, where):
    RUN["yaml alias bomb"] += 1
    path = folder / "bomb.yaml"
    path.write_text(laughs(width, depth, where), encoding="utf-8")
    before, start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter()
    err = outcome(path)
    assert isinstance(err, NarratorError)
    assert time.perf_counter() - start < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "&a [*a]\n", "&a {id: x, a: *a, b: *a}\n",
    "id: x\na: &a {id: a, title: t, degree: *a}\nb: {id: b, title: b}\n",
    "- &r {id: x, a: *r, b: *r}\n- *r\n",
])
def test_alias_loops(folder, text):
    RUN["yaml alias loop"] += 1
    path = folder / "loop.yaml"
    path.write_text(text, encoding="utf-8")
    assert isinstance(outcome(path), RecordError)


def test_aliases_in_a_real_record_still_work(folder):
    """Aliases are fine in moderation: b shares a's skills and salary range."""
    RUN["yaml alias (valid)"] += 1
    doc = copy.deepcopy(SEED_RAW)
    text = yaml.safe_dump(doc, sort_keys=False)
    text = text.replace("  skills:\n  - java", "  skills: &skills\n  - java", 1)
    head, tail = text.split("\nb:\n", 1)
    tail = re.sub(r"  skills:\n(  - .*\n)+", "  skills: *skills\n", tail)
    path = folder / "aliases.yaml"
    path.write_text(head + "\nb:\n" + tail, encoding="utf-8")
    article = outcome(path)
    assert isinstance(article, str)
    assert "customer service, architecture, and digital transformation" not in article
    assert ("skills for a software support technician are java, architecture, and digital "
            "transformation") in article


# --- the command line ---------------------------------------------------------------------
@pytest.mark.slow
@settings(HOSTILE, max_examples=120)
@given(case=mutations(), fmt=FORMAT, out=st.sampled_from(["md", "html", "txt", "json"]))
def test_cli_one_line_or_article(folder, case, fmt, out):
    raw, _kinds = case
    RUN["cli"] += 1
    path = write(folder, raw, fmt)
    code, stdout, stderr = cli(path, "--format", out)
    if code == 0:
        assert stderr == "" and stdout == api.narrate(path, format=out)
    else:
        assert code == 1 and stdout == ""
        assert stderr.startswith(f"narrate: error: {path}: ") and stderr.count("\n") == 1, stderr


@pytest.mark.parametrize("content", [b"", b"\xff\xfe{", b'{"id": "\\ud800"}', b"[" * 10_000,
                                     json.dumps([SEED_RAW, SEED_RAW]).encode()])
def test_cli_fixed_cases(folder, content):
    RUN["cli"] += 1
    path = folder / "cli.json"
    path.write_bytes(content)
    code, stdout, stderr = cli(path, "-o", folder / "out.md")
    assert (code, stdout) == (1, "") and stderr.count("\n") == 1
    assert stderr.startswith(f"narrate: error: {path}: ")
    assert not (folder / "out.md").exists()


@pytest.mark.slow
def test_a_batch_of_hostile_files(tmp_path):
    """``narrate --all`` reads the same files: one line per bad file, the rest written."""
    records = tmp_path / "data" / "records"
    records.mkdir(parents=True)
    (records / "good.json").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    bad = {"date.yaml": "id: x\na: {id: a, title: 2020-01-01}\nb: {id: b, title: b}\n",
           "key.yaml": "1: x\nid: y\n",
           "bomb.yaml": laughs(9, 9, "top"),
           "loop.yaml": "&a {id: x, a: *a, b: *a}\n",
           "surrogate.json": '{"id": "z", "a": {"id": "a", "title": "\\ud800"}, '
                             '"b": {"id": "b", "title": "b"}}',
           "control.json": '{"id": "c", "a": {"id": "a", "title": "\\u001b[2J"}, '
                           '"b": {"id": "b", "title": "b"}}',
           "bytes.json": "\udcff"}
    for name, text in bad.items():
        (records / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    result = CliRunner().invoke(main, ["--all", "--data", str(tmp_path / "data"),
                                       "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("narrate: error: ")]
    assert sorted(Path(e.split(": ")[2]).name for e in errors) == sorted(bad)
    assert (tmp_path / "out" / f"{SEED_ID}.md").exists()
    RUN["batch"] += 1
