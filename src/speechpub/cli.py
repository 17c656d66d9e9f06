"""The command line: click commands that only forward arguments to the pipeline stages."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import SpeechpubError
from .model import SCRIPTS
from .style import load_style

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def load(path, script: str):
    """The pipeline, imported when a command needs it: a re-run with nothing to do, --help and
    --version start without compiling the cleaning rules."""
    from .pipeline import load as pipeline_load
    return pipeline_load(path, script=script)


def _shared(f):
    """Options every command takes: --script and --style."""
    f = click.option("--style", "style_path", type=click.Path(dir_okay=False), default=None,
                     help="Style file (TOML); default: the bundled GB/T 9704 style.")(f)
    f = click.option("--script", type=click.Choice(SCRIPTS), default="auto", show_default=True,
                     help="Output script: auto unifies a mixed text to its dominant script; "
                          "simplified/traditional convert with OpenCC; keep changes nothing.")(f)
    return f


def _fail(err: Exception) -> None:
    click.echo(f"speechpub: {err}", err=True)
    sys.exit(EXIT_USAGE)


class _Group(click.Group):
    """Turns a SpeechpubError anywhere in a command into one line and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SpeechpubError as e:
            _fail(e)


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="speechpub")
@click.pass_context
def main(ctx):
    """speechpub: turn scraped Chinese speeches into clean, publishable documents.

    \b
    speechpub convert input -o output          all formats for every speech in input/
    speechpub inspect FILE --json              the parsed document model
    speechpub clean FILE                       the cleaned text
    speechpub check FILE...                    warnings; exit 1 on errors
    speechpub serve [WORKSPACE]                the web app on http://127.0.0.1:8765/
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Output folder; the input folder structure is mirrored under it.")
@click.option("-f", "--formats", default=None,
              help="One format or a comma-separated list: txt, json, docx, pdf, epub, ofd, or all. "
                   "Default: all but ofd.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--force", is_flag=True, help="Convert every input again, changed or not.")
@click.option("--prune", is_flag=True, help="Remove outputs whose input is gone.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that fails.")
@click.option("--embed-fonts", is_flag=True, help="EPUB: embed subsets of the fonts.")
@click.option("--ebook-style", type=click.Path(dir_okay=False), default=None,
              help="EPUB style file (TOML); default: the bundled styles/ebook.toml.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where documents are converted: a local process pool or a Dask cluster.")
@click.option("--scheduler", default=None, help="Dask scheduler address (with --executor dask).")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary; errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object on stdout.")
@_shared
def convert(sources, outdir, formats, jobs, force, prune, fail_fast, embed_fonts, ebook_style, executor,
            scheduler, quiet, as_json, script, style_path):
    """Convert speech files (or folders of .txt files, recursively) into OUTDIR.

    A re-run converts only new or changed inputs (see OUTDIR/.speechpub-manifest.jsonl).
    Exit status: 0 all converted, 1 some failed, 2 usage error, 130 interrupted."""
    import signal

    from .batch import run_batch
    from .progress import Progress, summary_table
    from .render import RenderOptions, parse_formats

    fmts = parse_formats(formats)
    options = RenderOptions(style=load_style(style_path), embed_fonts=embed_fonts, ebook_style=ebook_style)
    if "epub" in fmts:
        from .render.epub.style import load_ebook_style
        load_ebook_style(ebook_style)           # a bad style file is a usage error, before any work
    signal.signal(signal.SIGTERM, _interrupt)
    summary = run_batch([Path(s) for s in sources], Path(outdir), fmts, options, script=script, jobs=jobs,
                        force=force, prune=prune, fail_fast=fail_fast, executor=executor, scheduler=scheduler,
                        progress=Progress(quiet=quiet or as_json))
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    elif not quiet:
        click.echo(summary_table(summary), err=True)
    elif summary.failed:
        for src, err in summary.failed:
            click.echo(f"speechpub: {src}: {err}", err=True)
    sys.exit(130 if summary.interrupted else EXIT_FAILED if summary.failed else EXIT_OK)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@main.command()
@click.argument("file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the model as one JSON object.")
@_shared
def inspect(file, as_json, script, style_path):
    """Show the parsed model of one speech."""
    doc = load(file, script=script)
    if as_json:
        click.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
    else:
        from .outline import outline
        click.echo(outline(doc))


@main.command(name="clean")
@click.argument("file", type=click.Path())
@_shared
def clean_cmd(file, script, style_path):
    """Print the cleaned speech as UTF-8 text, one paragraph per line."""
    doc = load(file, script=script)
    out = sys.stdout.buffer
    out.write((doc.text() + "\n").encode("utf-8"))
    out.flush()


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@_shared
def check(files, script, style_path):
    """Print each file's warnings; exit 1 when any is at error level."""
    errors = unreadable = 0
    for f in files:
        try:
            doc = load(f, script=script)
        except SpeechpubError as e:
            click.echo(f"{e}", err=True)
            unreadable += 1
            continue
        if not doc.warnings:
            click.echo(f"{f}: ok")
        for w in doc.warnings:
            click.echo(f"{f}: {w.level}: {w.code}: {w.message}")
            errors += w.level == "error"
    sys.exit(EXIT_USAGE if unreadable else EXIT_FAILED if errors else EXIT_OK)


# --- fonts -------------------------------------------------------------------------------

_style_opt = click.option("--style", "style_path", type=click.Path(dir_okay=False), default=None,
                          help="Style file (TOML); default: the bundled GB/T 9704 style.")


@main.group(name="fonts", cls=_Group, invoke_without_command=True)
@_style_opt
@click.pass_context
def fonts_cmd(ctx, style_path):
    """List the font file used for each font class (fangsong, song-heavy, hei, kai, song).

    \b
    speechpub fonts               file, genuine or substitute, GB2312 coverage per class
    speechpub fonts install       install/extract/convert the free substitutes (once)
    speechpub fonts fontconfig    write the fontconfig file for LibreOffice; print its path
    Fonts in the folder named by SPEECHPUB_FONTS (or the style key fonts.folder) come first.
    """
    ctx.ensure_object(dict)["style_path"] = style_path
    if ctx.invoked_subcommand is None:
        from .fonts import report
        lines, ok = report(load_style(style_path))
        for line in lines:
            click.echo(line)
        sys.exit(EXIT_OK if ok else EXIT_FAILED)


@fonts_cmd.command(name="install")
@_style_opt
@click.pass_context
def fonts_install(ctx, style_path):
    """Set up a usable font for every class; exit 1 when a class still has none."""
    from .fonts.installer import install
    ok = install(echo=click.echo, style=load_style(style_path or ctx.obj.get("style_path")))
    sys.exit(EXIT_OK if ok else EXIT_FAILED)


@fonts_cmd.command(name="fontconfig")
@_style_opt
@click.pass_context
def fonts_fontconfig(ctx, style_path):
    """Write fonts.conf mapping 仿宋_GB2312, 黑体 ... to the stand-ins; print its path."""
    from .fonts.fontconfig import fontconfig_file
    click.echo(str(fontconfig_file(load_style(style_path or ctx.obj.get("style_path")))))


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "outfile", required=True, type=click.Path(dir_okay=False),
              help="The book file: .epub, .pdf, .docx or .ofd.")
@click.option("-f", "--format", "fmt", type=click.Choice(("epub", "pdf", "docx", "ofd")), default=None,
              help="Book format; default: from the output file's suffix.")
@click.option("--title", default="", help="Book title (default: 讲话汇编).")
@click.option("--editor", default="", help="Editor, shown on the title and copyright pages.")
@click.option("--order", type=click.Choice(("date", "name", "input")), default="date", show_default=True,
              help="Chapter order: speech date (undated last), file name, or as given.")
@click.option("--embed-fonts", is_flag=True, help="EPUB: embed font subsets of the characters used.")
@click.option("--ebook-style", type=click.Path(dir_okay=False), default=None,
              help="EPUB style file (TOML); default: the bundled styles/ebook.toml.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_shared
def book(sources, outfile, fmt, title, editor, order, embed_fonts, ebook_style, quiet, script, style_path):
    """Collect many speeches (files or folders) into one book: EPUB, PDF or DOCX."""
    from . import book as books
    from .render import RenderOptions

    fmt = books.format_of(Path(outfile), fmt)
    docs, skipped = books.collect(sources, script=script)
    volume = books.Volume(title, editor, tuple(books.ordered(docs, order)))
    options = RenderOptions(style=load_style(style_path), ebook_style=ebook_style, embed_fonts=embed_fonts)
    warnings = books.write(volume, Path(outfile), fmt, options)
    if not quiet:
        for p, why in skipped:
            click.echo(f"skipped {p}: {why}", err=True)
        for w in warnings:
            click.echo(f"{outfile}: {w.level}: {w.message}", err=True)
        click.echo(f"{outfile}: {len(docs)} speech{'' if len(docs) == 1 else 'es'}")


@main.command()
@click.argument("workspace", required=False, default=".", type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any other than 127.0.0.1/localhost requires the access token "
                   "printed at start.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for \"convert all\" (default: the number of cores).")
def serve(workspace, host, port, open_browser, jobs):
    """The web app over WORKSPACE (default: the current folder): WORKSPACE/input holds the
    speeches, WORKSPACE/output the converted files, as with `convert input -o output`."""
    from .web.app import serve as run
    run(Path(workspace), host=host, port=port, open_browser=open_browser, workers=jobs)


if __name__ == "__main__":  # pragma: no cover
    main()
