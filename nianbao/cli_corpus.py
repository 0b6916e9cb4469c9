"""`nianbao batch` and `nianbao export`: thin over corpus.batch and corpus.panel.

Both use the store the service uses: NIANBAO_DATA_DIR (SQLite under it by default) or
NIANBAO_DATABASE_URL (PostgreSQL), or --data-dir / --database-url.
"""

from __future__ import annotations

import argparse
import json
import sys

EXIT_OK, EXIT_INTERNAL, EXIT_UNUSABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
COMMANDS = ("batch", "export")
STATUS_LABELS = {"stored": "已入库", "skipped": "未变跳过", "duplicate": "重复文件", "failed": "失败",
                 "pending": "未处理", "running": "中断"}


def add_commands(commands) -> None:
    batch = commands.add_parser("batch", help="批量解析入库 (parse many files into the store)")
    batch.add_argument("paths", nargs="+", metavar="PATH",
                       help="文件夹（递归）、通配符、文件或清单 CSV（列 path, agency, region, year）")
    batch.add_argument("--workers", type=int, default=None, help="本机进程数，默认 CPU 核数 (local worker processes)")
    batch.add_argument("--dask", default=None, metavar="ADDRESS",
                       help="Dask 调度器地址，如 tcp://scheduler:8786（或 NIANBAO_DASK）(run on a Dask cluster)")
    batch.add_argument("--retry-failed", action="store_true", help="重试此前失败的文件 (retry files that failed before)")
    batch.add_argument("--no-cross-year", action="store_true", help="不做跨年核验 (skip the cross-year checks)")
    batch.add_argument("--files-csv", default=None, metavar="PATH", help="逐文件状态写入 CSV (per-file status as CSV)")
    batch.add_argument("--json", action="store_true", help="以 JSON 输出汇总 (print the summary as JSON)")
    batch.add_argument("--quiet", action="store_true", help="不显示进度 (no progress on stderr)")
    _store_args(batch)
    export = commands.add_parser("export", help="导出研究面板 (export the panel: long, wide, duplicates)")
    export.add_argument("--format", choices=("csv", "xlsx", "parquet"), default="csv")
    export.add_argument("--out", required=True, metavar="PATH",
                        help="输出：csv/parquet 为文件名前缀或目录，xlsx 为工作簿 (stem or folder; workbook for xlsx)")
    export.add_argument("--no-duplicates", action="store_true", help="不计算雷同内容 (skip near-duplicate narratives)")
    export.add_argument("--threshold", type=float, default=None, help="雷同阈值 Jaccard，默认 0.8")
    _store_args(export)


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", default=None, help="数据目录 (default: NIANBAO_DATA_DIR or ./data)")
    p.add_argument("--database-url", default=None, help="数据库 URL (default: NIANBAO_DATABASE_URL or SQLite)")


def _store(args):
    from corpus.store import Store, StoreConfig

    config = StoreConfig.from_env()
    overrides = {k: v for k, v in (("data_dir", args.data_dir), ("database_url", args.database_url)) if v}
    return Store(config, **overrides)


def run(args) -> int:
    if args.command == "batch":
        return _batch(args)
    return _export(args)


def _batch(args) -> int:
    from corpus.batch import Batch, write_files_csv
    from nianbao.settings import Settings

    store = _store(args)
    try:
        batch = Batch(store, Settings.from_env(), workers=args.workers, dask=args.dask,
                      progress=None if args.quiet else sys.stderr, cross_year=not args.no_cross_year,
                      retry_failed=args.retry_failed)
        try:
            result = batch.run(args.paths)
        except KeyboardInterrupt:
            sys.stderr.write("nianbao: 已中断，再次运行同一命令即可继续 (interrupted; run the same command to resume)\n")
            return EXIT_INTERRUPTED
        if args.files_csv:
            write_files_csv(result.files, args.files_csv)
        if args.json:
            print(json.dumps({**result.summary(), "file_status": result.files}, ensure_ascii=False, indent=2))
        else:
            sys.stdout.write(batch_summary(result))
        if result.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_OK if result.files or not result.missing else EXIT_UNUSABLE
    finally:
        store.close()


def batch_summary(result, limit: int = 50) -> str:
    lines = []
    show = result.files if len(result.files) <= limit else [f for f in result.files if f["status"] == "failed"
                                                            or f["duplicate_of"] or f["conflict_with"]]
    if show:
        lines.append("逐文件状态 (per-file status):")
    for f in show:
        extra = f["message"] or ""
        if f["duplicate_of"]:
            extra = f"同 {f['duplicate_of']}"
        who = f"{f['agency'] or '—'} {f['year'] or '—'}" if f["status"] == "stored" else ""
        lines.append(f"  {STATUS_LABELS.get(f['status'], f['status']):<6} {f['path']}  {who}  {extra}".rstrip())
    if len(show) < len(result.files):
        lines.append(f"  （另有 {len(result.files) - len(show)} 个文件正常，--files-csv 可导出全部）")
    for m in result.missing:
        lines.append(f"  未找到 (no such input): {m}")
    counts = "，".join(f"{STATUS_LABELS.get(k, k)} {v}" for k, v in sorted(result.counts.items()))
    lines.append("")
    lines.append(f"批次 #{result.run_id}{'（续跑）' if result.resumed else ''}：共 {len(result.files)} 个文件：{counts or '无'}；"
                 f"本次解析 {result.processed} 个，页数 {result.pages}，用时 {result.seconds:.1f} 秒（{result.executor}）")
    if result.conflicts:
        lines.append(f"同一机关同一年度有多份报告 (same agency and year claimed twice)：{len(result.conflicts)} 处")
        for c in result.conflicts:
            others = ", ".join(o.get("filename") or str(o.get("report_id")) for o in json.loads(c["with"]))
            lines.append(f"  {c['agency']} {c['year']}: {c['path']} 与 {others}")
    if result.cross_year:
        cy = result.cross_year
        lines.append(f"跨年核验 (cross-year)：机关 {cy.get('agencies', 0)} 个，相邻年度 {cy.get('pairs', 0)} 对，"
                     f"发现 {cy.get('findings', 0)} 条，更新报告 {cy.get('updated', 0)} 份")
    if result.interrupted:
        lines.append("已中断，再次运行同一命令即可继续 (interrupted; run the same command to resume)")
    return "\n".join(lines) + "\n"


def _export(args) -> int:
    from corpus.panel import export

    store = _store(args)
    try:
        store.migrate()
        try:
            files = export(store, args.format, args.out, duplicates=not args.no_duplicates, threshold=args.threshold)
        except ImportError as exc:
            sys.stderr.write(f"nianbao: 缺少依赖 (missing dependency): {exc}; pip install 'nianbao[parquet]'\n")
            return EXIT_UNUSABLE
        for f in files:
            print(f)
        return EXIT_OK
    finally:
        store.close()
