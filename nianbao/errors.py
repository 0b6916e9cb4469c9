"""Errors that mean the input is unusable.

Only these leave the library for "this file cannot be read"; a stage that fails
on a readable report is recorded on the report (`Report.stage_errors`), and a
report that is itself wrong gets findings.  CLI and HTTP turn these into one
line (exit 2) or a JSON error body (4xx) using `message` and `http_status`.
"""


class NianbaoError(Exception):
    """Base of all input errors. `message` is one line meant for the user (Chinese first)."""

    http_status = 422
    code = "unusable_input"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        return {"error": self.code, "message": self.message}


class EmptyDocument(NianbaoError):
    code = "empty_document"


class UnsupportedFormat(NianbaoError):
    http_status = 415
    code = "unsupported_format"


class UnreadableDocument(NianbaoError):
    """The format is known but the file is corrupt, truncated or encrypted."""

    code = "unreadable_document"


class ScannedDocument(NianbaoError):
    """A PDF without a text layer, while no OCR reader is available."""

    code = "scanned_document"


class DocumentTooLarge(NianbaoError):
    http_status = 413
    code = "document_too_large"
