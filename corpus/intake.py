"""What can be refused at upload time, cheaply, before a job is queued: empty or unknown
content (by magic bytes), a PDF that cannot be opened or has too many pages.  Everything
else is found by the worker and ends the job as failed with its reason."""

from __future__ import annotations

from nianbao.settings import Settings
from nianbao.sniff import PDF, sniff


def precheck(data: bytes, filename: str, settings: Settings) -> str:
    """The sniffed kind; raises a NianbaoError when the upload is unusable."""
    kind = sniff(data, filename)
    if kind.kind == PDF:
        from nianbao.readers.pdf import _open, _page_count

        _page_count(_open(data), settings.max_pages)
    return kind.kind
