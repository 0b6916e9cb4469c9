"""/v1/export: the whole store in long format, one row per cell with provenance."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response, StreamingResponse

from corpus import export
from corpus.store import EXPORT_COLUMNS
from service.auth import require_read
from service.deps import StoreDep

router = APIRouter(prefix="/v1/export", tags=["export"], dependencies=[Depends(require_read)])


@router.get("/cells.csv", summary="全部单元格，CSV (every stored cell, long format)")
def cells_csv(store: StoreDep, agency: str | None = None, region: str | None = None,
              year: int | None = None, has_findings: bool | None = None) -> StreamingResponse:
    rows = store.iter_cells(agency, region, year, has_findings)
    return StreamingResponse(export.to_csv(rows, EXPORT_COLUMNS), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": "attachment; filename=nianbao-cells.csv"})


@router.get("/cells.xlsx", summary="全部单元格，XLSX")
def cells_xlsx(store: StoreDep, agency: str | None = None, region: str | None = None,
               year: int | None = None, has_findings: bool | None = None) -> Response:
    data = export.to_xlsx({"cells": store.iter_cells(agency, region, year, has_findings)}, EXPORT_COLUMNS)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=nianbao-cells.xlsx"})


@router.get("/cells.parquet", summary="全部单元格，Parquet (when pyarrow is installed)")
def cells_parquet(store: StoreDep, agency: str | None = None, region: str | None = None,
                  year: int | None = None, has_findings: bool | None = None) -> Response:
    if not export.parquet_available():
        raise HTTPException(404, "未安装 pyarrow，无法导出 Parquet (pyarrow is not installed)")
    data = export.to_parquet(store.iter_cells(agency, region, year, has_findings))
    return Response(data, media_type="application/vnd.apache.parquet",
                    headers={"Content-Disposition": "attachment; filename=nianbao-cells.parquet"})
