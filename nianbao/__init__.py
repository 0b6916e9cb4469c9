"""nianbao: parse and check Chinese government information-disclosure annual reports."""

__version__ = "0.1.0"

from nianbao.model import Report  # noqa: E402

__all__ = ["Report", "__version__", "parse_bytes", "parse_file"]


def parse_bytes(data: bytes, filename: str = "report.txt", settings=None) -> Report:
    from nianbao.pipeline import process

    return process(data, filename, settings)


def parse_file(path, settings=None) -> Report:
    from pathlib import Path

    p = Path(path)
    return parse_bytes(p.read_bytes(), p.name, settings)
