"""Command line: `nianbao parse FILE [--json]`, `nianbao compare FOLDER... [--out DIR]` and `nianbao serve`.

Thin by design: reading the file, calling `nianbao.pipeline.process` and printing.
Exit codes: 0 parsed; 2 the input is unusable (one line on stderr); 1 an internal
error (one line; the traceback too when NIANBAO_DEBUG=1).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import TextIO

from nianbao import __version__
from nianbao.errors import NianbaoError
from nianbao.model import TABLE_NAMES, Report
from nianbao.settings import Settings

EXIT_OK, EXIT_INTERNAL, EXIT_UNUSABLE = 0, 1, 2

TABLE_TITLES = {
    "active": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
NULL = "—"


class InputError(Exception):
    """The file named on the command line cannot be read at all."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_UNUSABLE
    if args.command == "parse":
        return _parse(args.file, as_json=args.json)
    if args.command == "serve":
        return _serve(args.host, args.port, args.workers)
    if args.command == "compare":
        return _compare(args.folders, args.out, args.store)
    if args.command in ("batch", "export"):  # nianbao/cli_corpus.py
        from nianbao import cli_corpus

        return cli_corpus.run(args)
    parser.print_help(sys.stderr)
    return EXIT_UNUSABLE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao", description="解析政府信息公开工作年度报告 (parse and check annual reports)")
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    parse = commands.add_parser("parse", help="解析一份年报 (parse one report)")
    parse.add_argument("file", metavar="FILE", help="PDF、DOCX、DOC、HTML 或文本文件")
    parse.add_argument("--json", action="store_true", help="输出 JSON (print the report as JSON)")
    serve = commands.add_parser("serve", help="启动 HTTP 服务 (run the HTTP service)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None,
                       help="解析进程数，默认为 CPU 核数 (worker processes; default: NIANBAO_WORKERS or one per core)")
    compare = commands.add_parser(
        "compare", help="比较各机关、各年度的问题与改进措施 (compare problems and measures across reports)")
    compare.add_argument("folders", metavar="FOLDER", nargs="*", help="年报所在目录（txt、pdf、html、docx）")
    compare.add_argument("--store", action="store_true",
                         help="比较库中已存的全部年报 (compare every stored report: NIANBAO_DATA_DIR / NIANBAO_DATABASE_URL)")
    compare.add_argument("--out", default="compare", metavar="DIR",
                         help="输出目录，默认 ./compare (CSV files and the topics-by-year chart)")
    from nianbao.cli_corpus import add_commands  # batch, export

    add_commands(commands)
    return parser


# -- parse -----------------------------------------------------------------


def _parse(file: str, as_json: bool) -> int:
    try:
        data = _read(Path(file))
    except InputError as exc:
        return _fail(EXIT_UNUSABLE, str(exc))
    from nianbao.pipeline import process

    try:
        report = process(data, Path(file).name, Settings.from_env())
    except NianbaoError as exc:
        return _fail(EXIT_UNUSABLE, exc.message)
    except Exception as exc:  # a bug, not the user's input
        return _fail(EXIT_INTERNAL, f"内部错误 (internal error): {type(exc).__name__}: {exc}", debug=True)
    out = _stream(sys.stdout)
    try:
        out.write(report.to_json() + "\n" if as_json else summary(report))
        out.flush()
    except BrokenPipeError:  # `nianbao parse x --json | head`
        _silence_stdout()
    return EXIT_OK


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"文件不存在 (no such file): {path}") from None
    except IsADirectoryError:
        raise InputError(f"这是一个目录，不是文件 (is a directory): {path}") from None
    except PermissionError:
        raise InputError(f"没有读取权限 (permission denied): {path}") from None
    except OSError as exc:
        raise InputError(f"无法读取文件 (cannot read file): {path}: {exc.strerror or exc}") from None


def _fail(code: int, message: str, debug: bool = False) -> int:
    err = _stream(sys.stderr)
    if debug and os.environ.get("NIANBAO_DEBUG") == "1":
        traceback.print_exc(file=err)
    err.write("nianbao: " + " ".join(message.split()) + "\n")
    err.flush()
    return code


def summary(report: Report) -> str:
    """The report as readable Chinese text: source, meta, the three tables, findings."""
    src, meta = report.source, report.meta
    lines = [
        f"来源：{src.filename}（格式 {src.format}，页数 {_show(src.pages)}，SHA-256 {src.sha256}）",
        f"机关：{_show(meta.agency)}",
        f"地区：{_show(meta.region)}",
        f"年度：{_show(meta.year)}",
        f"发布日期：{_show(meta.published)}",
        f"模板：{_show(meta.template)}",
        "分表模板：" + (", ".join(f"{t}={v}" for t, v in report.table_templates.items()) or NULL),
        f"状态：{report.status}",
    ]
    for name in TABLE_NAMES:
        cells = report.tables.get(name) or {}
        lines += ["", f"【{TABLE_TITLES[name]}】{name}（{len(cells)} 项）"]
        lines += [f"  {key} = {_show(value)}" for key, value in cells.items()] or [f"  {NULL}"]
    lines += ["", f"【发现】findings（{len(report.findings)} 条）"]
    for f in report.findings:
        lines.append(f"  [{SEVERITY_LABELS.get(f.severity, f.severity)}] {f.rule}：{f.message}")
    if not report.findings:
        lines.append(f"  {NULL}")
    if report.stage_errors:
        lines += ["", f"【未完成的步骤】stage errors（{len(report.stage_errors)} 个）"]
        lines += [f"  {e.stage}：{e.message}" for e in report.stage_errors]
    return "\n".join(lines) + "\n"


def _show(value: object) -> str:
    return NULL if value is None or value == "" else str(value)


def _stream(stream: TextIO) -> TextIO:
    """Never fail on a console that cannot encode Chinese: escape what it cannot show."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    if encoding not in ("utf8", "utf8sig", "gb18030") and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="backslashreplace")
    return stream


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


# -- compare ---------------------------------------------------------------


def _compare(folders: list[str], out: str, from_store: bool = False) -> int:
    """CSV tables and a chart of the statements of part 五 across the reports (corpus/compare.py)."""
    if not folders and not from_store:
        return _fail(EXIT_UNUSABLE, "请给出年报目录或 --store (give report folders or --store)")
    missing = [f for f in folders if not Path(f).exists()]
    if missing:
        return _fail(EXIT_UNUSABLE, f"目录不存在 (no such folder): {missing[0]}")
    from corpus.compare import collect, collect_store, compare

    try:
        items = None
        if from_store:
            from corpus.store import Store

            store = Store()
            store.migrate()
            try:
                items = collect_store(store) + (collect(folders, _stream(sys.stderr)) if folders else [])
            finally:
                store.close()
        written = compare(folders, out, err=_stream(sys.stderr), items=items)
    except Exception as exc:  # a bug, not the user's input
        return _fail(EXIT_INTERNAL, f"内部错误 (internal error): {type(exc).__name__}: {exc}", debug=True)
    out_stream = _stream(sys.stdout)
    for path in written.values():
        out_stream.write(f"{path}\n")
    return EXIT_OK


# -- serve -----------------------------------------------------------------


def _serve(host: str, port: int, workers: int | None = None) -> int:
    """The HTTP service plus its worker processes; the store's schema is migrated first."""
    import uvicorn

    from corpus.store import Store, StoreConfig
    from corpus.worker import WorkerPool
    from service.app import create_app
    from service.config import ServiceConfig

    settings, config, store_config = Settings.from_env(), ServiceConfig.from_env(), StoreConfig.from_env()
    store = Store(store_config)
    app = create_app(settings, store, config)  # runs the migrations before any worker starts
    count = workers if workers is not None else config.workers
    pool = WorkerPool(store_config, settings, count).start()
    try:
        uvicorn.run(app, host=host, port=port)
    finally:
        pool.stop()
        store.close()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
