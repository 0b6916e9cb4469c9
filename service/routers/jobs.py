"""/v1/jobs/{id}: status and progress of an upload or re-parse."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from service.auth import require_read
from service.deps import StoreDep
from service.errors import ErrorBody

router = APIRouter(prefix="/v1", tags=["jobs"])


def job_body(job: dict) -> dict:
    body = {k: job[k] for k in ("id", "status", "kind", "filename", "sha256", "stage", "progress",
                                "attempts", "report_id", "error", "message", "created_at", "updated_at")}
    body["links"] = {"self": f"/v1/jobs/{job['id']}"}
    if job.get("report_id") is not None:
        body["links"]["report"] = f"/v1/reports/{job['report_id']}"
        body["links"]["page"] = f"/reports/{job['report_id']}"
    return body


@router.get("/jobs/{job_id}", dependencies=[Depends(require_read)],
            responses={404: {"model": ErrorBody, "description": "没有这个任务 (no such job)"}},
            summary="任务状态与进度 (job status and progress)")
def get_job(job_id: str, store: StoreDep) -> dict:
    job = store.get_job(job_id)
    if job is None:
        raise HTTPException(404, "没有这个任务 (no such job)")
    return job_body(job)
