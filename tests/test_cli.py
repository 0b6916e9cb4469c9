"""`nianbao parse` and `nianbao serve`, in-process through main() and as real processes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import nianbao
from nianbao.cli import main
from service.local_server import local_server
from tests.pdf_samples import blank_pdf, encrypt, sample_report_pdf

SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_5e842b9e9cf02949.txt"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def files(tmp_path):
    """Bad inputs written to disk, by name."""
    pdf = sample_report_pdf()
    paths = {
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "random.bin",
        "corrupt_pdf": tmp_path / "corrupt.pdf",
        "locked_pdf": tmp_path / "locked.pdf",
        "scanned_pdf": tmp_path / "scanned.pdf",
        "report_pdf": tmp_path / "report.pdf",
    }
    paths["empty"].write_bytes(b"")
    paths["binary"].write_bytes(b"\x00\x01\xfe\xff" + os.urandom(4096) + b"\x00" * 64)
    paths["corrupt_pdf"].write_bytes(pdf[: len(pdf) // 2])
    paths["locked_pdf"].write_bytes(encrypt(pdf, user_password="secret"))
    paths["scanned_pdf"].write_bytes(blank_pdf(2))
    paths["report_pdf"].write_bytes(pdf)
    return paths


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert text.endswith("\n")
    return lines[0]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- parse, in-process ------------------------------------------------------


def test_parse_json_of_the_seed(capsys):
    assert main(["parse", str(SEED), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    report = json.loads(out)
    assert report["schema_version"] == 1
    assert report["source"]["sha256"] == sha256_of(SEED)
    assert report["source"]["filename"] == SEED.name
    assert report["source"]["format"] == "text"
    assert report["source"]["bytes"] == SEED.stat().st_size
    assert report["parser_version"] == nianbao.__version__
    assert isinstance(report["tables"], dict) and isinstance(report["findings"], list)
    assert "政府信息公开工作年度报告" in report["text"]


def test_parse_summary_of_the_seed(capsys):
    assert main(["parse", str(SEED)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"来源：{SEED.name}")
    assert sha256_of(SEED) in lines[0]
    for label in ("机关：", "年度：", "发布日期：", "模板：", "分表模板："):
        assert any(line.startswith(label) for line in lines), label
    for title in ("【主动公开政府信息情况】active", "【收到和处理政府信息公开申请情况】applications",
                  "【政府信息公开行政复议、行政诉讼情况】review_litigation", "【发现】findings"):
        assert any(line.startswith(title) for line in lines), title
    # Every table row is "key = value", with null shown as a dash.
    rows = [line.strip() for line in lines if line.startswith("  ") and " = " in line]
    for row in rows:
        key, value = row.split(" = ", 1)
        assert key and " " not in key
        assert value == "—" or value.replace(".", "", 1).lstrip("-").isdigit()
    assert "null" not in out and "None" not in out


def test_parse_generated_pdf(capsys, files):
    assert main(["parse", str(files["report_pdf"]), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["source"]["format"] == "pdf-text"
    assert report["source"]["pages"] == 2
    assert report["source"]["sha256"] == sha256_of(files["report_pdf"])
    assert "2025年，本机关共收到政府信息公开申请10件，全部按期答复。" in report["text"]


@pytest.mark.parametrize("name, fragment", [
    ("empty", "empty"),
    ("binary", "format"),
    ("corrupt_pdf", "PDF"),
    ("locked_pdf", "password"),
])
def test_unusable_file_exits_2_with_one_line(capsys, files, name, fragment):
    assert main(["parse", str(files[name])]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = one_line(err)
    assert line.startswith("nianbao: ") and fragment in line


def test_a_scan_without_any_text_is_read_by_ocr_and_said_to_be_no_report(capsys, files):
    # pages without a text layer go to OCR; blank pages give a report saying what is missing
    assert main(["parse", str(files["scanned_pdf"]), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["source"]["format"] == "pdf-scanned"
    assert "report.not_annual_report" in {f["rule"] for f in report["findings"]}


def test_missing_file_exits_2(capsys, tmp_path):
    missing = tmp_path / "no-such-report.pdf"
    assert main(["parse", str(missing), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert one_line(err) == f"nianbao: 文件不存在 (no such file): {missing}"


def test_directory_exits_2(capsys, tmp_path):
    assert main(["parse", str(tmp_path)]) == 2
    assert one_line(capsys.readouterr().err).startswith("nianbao: ")


def test_page_limit_from_the_environment(capsys, files, monkeypatch):
    monkeypatch.setenv("NIANBAO_MAX_PAGES", "1")
    assert main(["parse", str(files["report_pdf"])]) == 2
    line = one_line(capsys.readouterr().err)
    assert "DocumentTooLarge" not in line and "上限 1 页" in line


def test_internal_error_exits_1_with_one_line(capsys, monkeypatch):
    # A fault injected into the pipeline: the CLI must report a bug as one line, not a traceback.
    def broken(data, filename, settings=None):
        raise RuntimeError("stage exploded\nwith a second line")

    monkeypatch.setattr("nianbao.pipeline.process", broken)
    monkeypatch.delenv("NIANBAO_DEBUG", raising=False)
    assert main(["parse", str(SEED)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert one_line(err) == "nianbao: 内部错误 (internal error): RuntimeError: stage exploded with a second line"

    monkeypatch.setenv("NIANBAO_DEBUG", "1")
    assert main(["parse", str(SEED)]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1].startswith("nianbao: 内部错误")


def test_usage_errors_and_version(capsys):
    assert main([]) == 2
    assert main(["parse"]) == 2
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"nianbao {nianbao.__version__}"


# -- as real processes --------------------------------------------------------


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *args], capture_output=True,
                          text=True, encoding="utf-8", env=environment, cwd=REPO, timeout=120)


def test_subprocess_parse_json_of_the_seed():
    result = run_cli("parse", str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["schema_version"] == 1
    assert report["source"]["sha256"] == sha256_of(SEED)


@pytest.mark.parametrize("name", ["empty", "binary", "corrupt_pdf"])
def test_subprocess_unusable_file_exits_2_with_one_line(files, name):
    result = run_cli("parse", str(files[name]))
    assert result.returncode == 2
    assert result.stdout == ""
    assert one_line(result.stderr).startswith("nianbao: ")


def test_subprocess_missing_file_exits_2(tmp_path):
    result = run_cli("parse", str(tmp_path / "missing.txt"), "--json")
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("nianbao: 文件不存在")


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "nianbao"
    if not script.exists():
        pytest.skip("console script not installed next to this interpreter")
    result = subprocess.run([str(script), "parse", str(SEED), "--json"], capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"]["sha256"] == sha256_of(SEED)


def test_serve_answers_healthz(tmp_path):
    with local_server(tmp_path / "data", start_timeout=30) as server:
        response = httpx.get(f"{server.base}/healthz", timeout=2)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "version": nianbao.__version__}
        with SEED.open("rb") as fh:
            upload = httpx.post(f"{server.base}/v1/reports", files={"file": (SEED.name, fh)}, timeout=60)
        assert upload.status_code == 202, upload.text
        job = upload.json()
        deadline = time.monotonic() + 90
        while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
            job = httpx.get(f"{server.base}/v1/jobs/{job['id']}", timeout=10).json()
        assert job["status"] == "done", job
        report = httpx.get(f"{server.base}/v1/reports/{job['report_id']}", timeout=10).json()
        assert report["source"]["sha256"] == sha256_of(SEED)
        assert (tmp_path / "data" / "nianbao.sqlite3").exists()  # made on first start
