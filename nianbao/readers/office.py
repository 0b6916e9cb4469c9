"""DOC and WPS (and other OLE word-processor files) -> DOCX with LibreOffice, then the DOCX reader.

Each conversion runs ``soffice --headless --convert-to docx`` in a temporary directory
of its own, with a private user profile (``-env:UserInstallation``) so that conversions
can run side by side and never touch a user's LibreOffice; the process group is killed
when the timeout passes.  Password-protected Office files (an encrypted OOXML package is an
OLE file holding ``EncryptionInfo``/``EncryptedPackage``; a Word 97 file with the
fEncrypted flag) are refused before LibreOffice is started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from nianbao.errors import DocumentTooLarge, UnreadableDocument, UnsupportedFormat
from nianbao.readers.document import Document
from nianbao.settings import Settings
from nianbao.sniff import Sniffed

__all__ = ["convert_to_docx", "read_doc_document", "find_soffice", "is_encrypted_ole",
           "CONVERT_TIMEOUT_SECONDS"]

CONVERT_TIMEOUT_SECONDS = 120.0
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SUFFIXES = {".doc", ".wps", ".dot", ".wpt", ".rtf", ".docx"}


KNOWN_SOFFICE_PATHS = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                       "/Applications/LibreOffice.app/Contents/MacOS/soffice")


def find_soffice() -> str | None:
    """The LibreOffice executable: $NIANBAO_SOFFICE, else soffice or libreoffice on PATH, else
    where the installers put it; None when there is none."""
    given = os.environ.get("NIANBAO_SOFFICE")
    if given and os.path.exists(given):
        return given
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    for path in KNOWN_SOFFICE_PATHS:
        if os.path.exists(path):
            return path
    return None


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def is_encrypted_ole(data: bytes) -> bool:
    """An encrypted Office file: an OOXML package wrapped in OLE (EncryptedPackage), or a Word
    97-2003 file whose FIB has fEncrypted set."""
    if not data.startswith(_OLE_MAGIC):
        return False
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return True
    # Word 97-2003: the WordDocument stream starts with the FIB (wIdent 0xA5EC); bit 8 of the
    # flags word at offset 10 is fEncrypted.  The stream starts on a sector boundary.
    sector = 1 << int.from_bytes(data[30:32], "little") if len(data) > 32 else 512
    if sector not in (512, 4096):
        sector = 512
    for off in range(sector, min(len(data), 4 * 1024 * 1024), sector):
        if data[off:off + 2] == b"\xec\xa5":
            flags = int.from_bytes(data[off + 10:off + 12], "little")
            return bool(flags & 0x0100)
    return False


def _suffix(filename: str) -> str:
    ext = Path(filename or "").suffix.lower()
    return ext if ext in _SUFFIXES else ".doc"


def is_word_binary(data: bytes) -> bool:
    """An OLE file holding a WordDocument stream: Word 97-2003, and WPS files saved Word-compatible."""
    return data.startswith(_OLE_MAGIC) and _utf16("WordDocument") in data


def convert_to_docx(data: bytes, filename: str = "input.doc",
                    timeout: float = CONVERT_TIMEOUT_SECONDS) -> bytes:
    """The DOCX LibreOffice makes of `data`.  Raises UnsupportedFormat without LibreOffice,
    UnreadableDocument when it cannot open the file or takes longer than `timeout`.

    A file with a WordDocument stream is opened with the Word 97 import filter, so that a
    damaged one fails instead of being imported as plain text (LibreOffice's last resort);
    other OLE files (Works .wps, ...) are left to LibreOffice's type detection."""
    soffice = find_soffice()
    if soffice is None:
        raise UnsupportedFormat(
            "读取 DOC/WPS 文件需要 LibreOffice（soffice），本机未安装；请安装 LibreOffice 或另存为 DOCX/PDF 后上传 "
            "(LibreOffice is needed to read DOC/WPS files)")
    with tempfile.TemporaryDirectory(prefix="nianbao-office-") as tmp:
        work = Path(tmp)
        src = work / f"input{_suffix(filename)}"
        src.write_bytes(data)
        outdir = work / "out"
        outdir.mkdir()
        profile = (work / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo",
               "--nodefault", "--nofirststartwizard", "--nolockcheck", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)]
        if is_word_binary(data):
            cmd[-5:-5] = ["--infilter=MS Word 97"]
        env = dict(os.environ, HOME=str(work), SAL_USE_VCLPLUGIN="svp")
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                    cwd=str(work), env=env, start_new_session=True)
        except OSError as exc:
            raise UnsupportedFormat(f"无法启动 LibreOffice，读取 DOC/WPS 文件需要它 (cannot run soffice: {exc})") from exc
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise UnreadableDocument(
                f"LibreOffice 转换超时（{timeout:.0f} 秒），无法读取该文档 (conversion timed out)") from None
        finally:
            if proc.poll() is None:
                _kill(proc)
        result = outdir / "input.docx"
        if not result.exists() or result.stat().st_size == 0:
            msg = " ".join((err or b"").decode("utf-8", "replace").split())[:160]
            raise UnreadableDocument(
                "LibreOffice 无法打开该文档（文件损坏、加密或不是 Word/WPS 文字文档）"
                f"(LibreOffice could not convert the file{': ' + msg if msg else ''})")
        return result.read_bytes()


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _plain(ch: str) -> bool:
    o = ord(ch)
    return (0x20 <= o < 0x7F or ch in "\n\t" or 0x3000 <= o <= 0x303F or 0x4E00 <= o <= 0x9FFF
            or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or 0x3400 <= o <= 0x4DBF
            or o in (0xA0, 0xB7, 0xD7) or 0x2460 <= o <= 0x24FF or 0x2150 <= o <= 0x218F)


def _garbled(text: str) -> bool:
    """Binary data imported as text: many characters outside the scripts of a report."""
    sample = text[:20000]
    if len(sample) < 50:
        return False
    odd = sum(1 for ch in sample if not _plain(ch))
    return odd > 0.2 * len(sample)


def read_doc_document(data: bytes, filename: str, kind: Sniffed, settings: Settings) -> Document:
    """DOC / WPS: refuse encrypted files, convert with LibreOffice, read the DOCX (format "doc")."""
    import hashlib

    from nianbao.readers.docx import read_docx

    if len(data) > settings.max_upload_bytes:
        raise DocumentTooLarge("文件过大 (file larger than the size limit)")
    if is_encrypted_ole(data):
        raise UnreadableDocument("文档已加密（设有打开密码），无法读取；请去除密码后再上传 (the document is password-protected)")
    docx = convert_to_docx(data, filename)
    doc = read_docx(docx, filename, "doc")
    if _garbled(doc.text):
        raise UnreadableDocument("LibreOffice 无法识别该文档的格式，转换结果是乱码（文件损坏或不是 Word/WPS 文字文档）"
                                 "(LibreOffice could not read the file as a word-processor document)")
    doc.source.sha256 = hashlib.sha256(data).hexdigest()
    doc.source.bytes = len(data)
    return doc
