"""Zipped HSDS datapackages (or a zip holding one HSDS JSON file), read in memory with limits:
nothing is extracted to disk; unsafe names, too many members, oversized or suspiciously
compressed members are refused."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePosixPath

from ..inputs import MAX_IMPORT_BYTES
from ..records import InputError, Loaded, ValidationIssue
from .datapackage import read_package
from .documents import parse_json_bytes
from .values import Issues

MAX_ZIP_MEMBERS = 500
MAX_ZIP_TOTAL_BYTES = MAX_IMPORT_BYTES
MAX_ZIP_RATIO = 200  # a deflated CSV shrinks ~5-20x; hundreds-fold is a zip bomb
_CHUNK = 1024 * 1024


def _unsafe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ".." in path.parts
            or bool(re.match(r"^[A-Za-z]:", name)))


def _open(data: bytes, source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputError([ValidationIssue(None, None, f"{source} is not a readable zip file")]) from None


def _refusal(info: zipfile.ZipInfo) -> str | None:
    """Why a member that would be read is refused, else None."""
    if _unsafe_member(info.filename):
        return "is not a safe file name inside a zip (absolute, or with '..')"
    if info.flag_bits & 0x1:
        return "is encrypted; zip the datapackage without a password"
    if info.file_size > MAX_ZIP_TOTAL_BYTES or (
            info.file_size > _CHUNK and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)):
        return f"unpacks to {info.file_size / 1e6:.0f} MB: too large or too compressed to be a datapackage file"
    return None


def _wanted(name: str) -> bool:
    """A CSV or JSON member that is not macOS or hidden clutter."""
    path = PurePosixPath(name)
    return not (path.parts[0] == "__MACOSX" or path.name.startswith(".")
                or path.suffix.lower() not in (".csv", ".json"))


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, source: str) -> bytes:
    """A member's bytes, stopping as soon as the whole archive passes MAX_ZIP_TOTAL_BYTES."""
    chunks = []
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            total += len(chunk)
            if total > MAX_ZIP_TOTAL_BYTES:
                raise InputError([ValidationIssue(None, None, f"{source} unpacks to more than "
                                                              f"{MAX_ZIP_TOTAL_BYTES / 1e6:.0f} MB")])
            chunks.append(chunk)
    return b"".join(chunks)


def _members(archive: zipfile.ZipFile, source: str) -> dict[str, bytes]:
    """The CSV and JSON members of a zip by name, or InputError with every member refused."""
    issues: Issues = []
    files: dict[str, bytes] = {}
    infos = [i for i in archive.infolist() if i.filename.strip("/.") and not i.filename.endswith("/")]
    if len(infos) > MAX_ZIP_MEMBERS:
        raise InputError([ValidationIssue(None, None, f"{source} holds {len(infos)} files; a datapackage has at "
                                                      f"most {MAX_ZIP_MEMBERS}")])
    total = 0
    for info in infos:
        name = info.filename
        if not _unsafe_member(name) and not _wanted(name):
            continue
        refusal = _refusal(info)
        if refusal:
            issues.append(ValidationIssue(name, None, refusal))
            continue
        try:
            files[name] = _unpack(archive, info, total, source)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError,
                ValueError) as err:
            issues.append(ValidationIssue(name, None, f"cannot be unpacked: {err}"))
            continue
        total += len(files[name])
    if issues:
        raise InputError(issues)
    return files


def _folder(names: list[str], source: str) -> str | None:
    """The one folder of the zip holding a datapackage (services.csv, else datapackage.json)."""
    folders = sorted({str(PurePosixPath(n).parent) for n in names if PurePosixPath(n).name == "services.csv"}) or \
        sorted({str(PurePosixPath(n).parent) for n in names if PurePosixPath(n).name == "datapackage.json"})
    if len(folders) > 1:
        raise InputError([ValidationIssue(None, None, f"{source} holds several datapackages ({', '.join(folders)}); "
                                                      "zip one at a time")])
    return folders[0] if folders else None


def read_zip_bytes(data: bytes, source: str) -> Loaded:
    """The listings of a zipped HSDS datapackage (or a zip holding one HSDS JSON file), read in memory."""
    with _open(data, source) as archive:
        files = _members(archive, source)
    folder = _folder(list(files), source)
    if folder is not None:
        tables = {PurePosixPath(n).name: b for n, b in files.items() if str(PurePosixPath(n).parent) == folder}
        return read_package(tables, source)
    documents = [n for n in files if n.lower().endswith(".json") and PurePosixPath(n).name != "datapackage.json"]
    if len(documents) == 1:
        return parse_json_bytes(files[documents[0]], f"{source}/{documents[0]}")
    raise InputError([ValidationIssue(None, None, f"{source} holds no services.csv (nor a single HSDS JSON file): "
                                                  "zip the folder of an HSDS datapackage")])
