"""`nianbao serve` as a child process on loopback: started, waited for until /healthz answers,
and stopped (terminate, then kill).  For scripts that drive the real service over HTTP: the
browser tests, the CLI test and the service benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LocalServer:
    base: str
    process: subprocess.Popen
    log: Path | None


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def local_server(data_dir: str | os.PathLike, *, database_url: str | None = None, workers: int | None = 1,
                 log: str | os.PathLike | None = None, start_timeout: float = 60) -> Iterator[LocalServer]:
    """Run `nianbao serve` on a free loopback port with its store in `data_dir` (and the
    database at `database_url` when given); the environment's other NIANBAO_* settings are
    not passed on.  Output goes to `log` (discarded when None).  Raises RuntimeError when the
    server exits or does not answer within `start_timeout` seconds."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    env["NIANBAO_DATA_DIR"] = str(data_dir)
    if database_url:
        env["NIANBAO_DATABASE_URL"] = database_url
    cmd = [sys.executable, "-m", "nianbao.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    out = open(log, "wb") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while not _healthy(base + "/healthz"):
            if process.poll() is not None or time.monotonic() > deadline:
                where = f"; see {log}" if log is not None else ""
                raise RuntimeError(f"nianbao serve did not start (exit {process.poll()}){where}")
            time.sleep(0.2)
        yield LocalServer(base, process, Path(log) if log is not None else None)
    finally:
        stop(process)
        if log is not None:
            out.close()
