"""The index folder on disk, for `matcher.index` alone: guarded reads, atomic writes, locked saves.

Whatever lies in the folder may be damaged, partial or foreign: a disk that lost half a file, a
copy from another machine, an editor's leftovers, a symlink, a 10 GB file of garbage. Every read
goes through `open_file`, which follows no symlink inside the folder, opens only regular files,
never reads more than a known bound (a size the save recorded, or a fixed ceiling), and turns any
failure into `Damaged`, whose message is the words of a warning. The index treats it as absent.

Saves by several processes at once are serialised by an advisory lock (`fcntl.flock`) around the
few quick steps that change what is current: naming the new version folder, switching the
`CURRENT` pointer, retiring old versions. So a clean-up never removes a version another save is
about to name current; a reader that finds its version retired reads `CURRENT` again.
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import re
import shutil
import stat
import time
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.lib.format as npy

POINTER = "CURRENT"
LOCK = ".lock"
POINTER_MAX = 256  # "v-20261201T093246-deadbeef\n" is 27 bytes
VERSION_NAME = re.compile(r"v-\d{8}T\d{6}-[0-9a-f]{8}")
# A leftover of a save cut short (a folder being written, a pointer not yet renamed) is removed when
# this old: no save takes an hour, so it cannot be one still running.
STALE_SECONDS = 3600
# np.savez's central directory for the cache's four arrays is a few hundred bytes.
ZIP_DIRECTORY_MAX = 1 << 20


class Damaged(Exception):
    """Something in the index folder that cannot be used as it is; the message says what, for a warning."""


class Missing(Damaged):
    """Something in the index folder that is not there at all."""


def _describe(err: OSError) -> str:
    return {errno.ELOOP: "is a symbolic link", errno.ENOTDIR: "is not a folder", errno.EISDIR: "is a folder",
            errno.EACCES: "cannot be read (permission denied)", errno.EPERM: "cannot be read (not permitted)",
            }.get(err.errno, f"cannot be opened ({err.strerror})")


def _open_at(dir_fd: int, name: str, flags: int, rel: str) -> int:
    try:
        return os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | flags, dir_fd=dir_fd)
    except FileNotFoundError:
        raise Missing(f"{rel} is missing") from None
    except OSError as err:
        try:  # O_DIRECTORY on a symlink says ENOTDIR: name the symlink
            link = stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
        except OSError:
            link = False
        raise Damaged(f"{rel} {'is a symbolic link' if link else _describe(err)}") from None


def open_file(root: Path, rel: str, limit: int) -> tuple[BinaryIO, int]:
    """A regular file `rel` ("a/b/c", no symlink on the way below `root`) of at most `limit` bytes: (file, size)."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise Missing("the index folder is missing") from None
    except NotADirectoryError:
        if os.path.lexists(root):
            raise Damaged("the index folder is not a folder") from None
        raise Missing("the index folder is missing (a file stands where one of its parents should be)") from None
    except OSError as err:
        raise Damaged(f"the index folder {_describe(err)}") from None
    parts = rel.split("/")
    try:
        for i, part in enumerate(parts[:-1]):
            sub = _open_at(fd, part, os.O_DIRECTORY, "/".join(parts[: i + 1]))
            os.close(fd)
            fd = sub
        # O_NONBLOCK: opening a FIFO put in a file's place must not wait for a writer
        file_fd = _open_at(fd, parts[-1], os.O_NONBLOCK, rel)
    finally:
        os.close(fd)
    try:
        mode, size = (st := os.fstat(file_fd)).st_mode, st.st_size
        if stat.S_ISDIR(mode):
            raise Damaged(f"{rel} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise Damaged(f"{rel} is not a regular file")
        if size > limit:
            raise Damaged(f"{rel} is too large ({size} bytes where at most {limit} are expected)")
        return os.fdopen(file_fd, "rb"), size
    except BaseException:
        os.close(file_fd)
        raise


def read_all(root: Path, rel: str, limit: int) -> bytes:
    """The whole of a small file, at most `limit` bytes."""
    fh, size = open_file(root, rel, limit)
    try:
        with fh:
            data = fh.read(limit + 1)
    except OSError as err:  # a disk that fails to read the file is damage too
        raise Damaged(f"{rel} cannot be read ({err.strerror})") from None
    if len(data) != size:
        raise Damaged(f"{rel} changed while it was read")
    return data


def read_exact(root: Path, rel: str, size: int, crc: int) -> np.ndarray:
    """A file the save recorded as `size` bytes with CRC-32 `crc`, as uint8: the bytes it wrote, or Damaged."""
    fh, actual = open_file(root, rel, size)
    with fh:
        if actual != size:
            raise Damaged(f"{rel} has {actual} bytes, not the {size} it was saved with")
        buf = np.empty(size, dtype=np.uint8)
        view, done = memoryview(buf), 0
        while done < size:
            try:
                got = fh.readinto(view[done:])
            except OSError as err:
                raise Damaged(f"{rel} cannot be read ({err.strerror})") from None
            if not got:
                raise Damaged(f"{rel} ended early")
            done += got
    if zlib.crc32(buf) != crc:
        raise Damaged(f"{rel} is not the file that was saved (its checksum differs)")
    return buf


def map_npy(root: Path, rel: str, size: int, crc: int) -> np.ndarray:
    """An .npy file the save recorded as `size` bytes with CRC-32 `crc`, memory-mapped read-only (its
    pages are read when touched, and the system may drop them again: at 1M listings the vectors are
    1.5 GB a match process need not hold); Damaged when it is not that file. The checksum is taken by
    reading through the same open file that is then mapped."""
    fh, actual = open_file(root, rel, size)
    with fh:
        if actual != size:
            raise Damaged(f"{rel} has {actual} bytes, not the {size} it was saved with")
        got, done = 0, 0
        try:
            while chunk := fh.read(1 << 24):
                got, done = zlib.crc32(chunk, got), done + len(chunk)
        except OSError as err:
            raise Damaged(f"{rel} cannot be read ({err.strerror})") from None
        if done != size:
            raise Damaged(f"{rel} ended early")
        if got != crc:
            raise Damaged(f"{rel} is not the file that was saved (its checksum differs)")
        fh.seek(0)
        shape, dtype = _npy_header(fh, rel)
        start = fh.tell()
        if start + _nbytes(shape, dtype) != size:
            raise Damaged(f"{rel} is {size} bytes, which its header does not account for")
        if _nbytes(shape, dtype) == 0:
            return np.zeros(shape, dtype=dtype)
        return np.memmap(fh, dtype=dtype, mode="r", offset=start, shape=shape)


def file_crc(path: Path) -> tuple[int, int]:
    """(size, CRC-32) of a file just written: what `read_exact` checks later."""
    crc, size = 0, 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    return size, crc


def _npy_header(fh, rel: str) -> tuple[tuple[int, ...], np.dtype]:
    try:
        version = npy.read_magic(fh)
        if version not in ((1, 0), (2, 0)):
            raise ValueError("unknown version")
        reader = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, fortran, dtype = reader(fh)
    except ValueError:
        raise Damaged(f"{rel} is not a readable .npy array") from None
    if fortran or dtype.hasobject:
        raise Damaged(f"{rel} holds an array of an unexpected layout")
    return shape, dtype


def _nbytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    return int(np.prod(shape, dtype=np.int64)) * dtype.itemsize


def npy_from_bytes(buf: np.ndarray, rel: str) -> np.ndarray:
    """The array of an .npy file's bytes (uint8 from `read_exact`), without a copy; never a pickle."""
    head = io.BytesIO(buf[: min(len(buf), 1 << 16)].tobytes())
    shape, dtype = _npy_header(head, rel)
    start = head.tell()
    if start + _nbytes(shape, dtype) != len(buf):
        raise Damaged(f"{rel} is {len(buf)} bytes, which its header does not account for")
    return buf[start:].view(dtype).reshape(shape)


def read_npz(root: Path, rel: str, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Named arrays of an uncompressed .npz (np.savez). The zip's own CRC checks each member; only the
    members asked for are read, each no larger than the file itself."""
    fh, size = open_file(root, rel, limit=1 << 62)  # a zip is read from its end: never whole
    with fh:
        try:
            if _zip_directory_size(fh, size) > ZIP_DIRECTORY_MAX:
                raise Damaged(f"{rel} is not a readable cache (its zip directory is implausibly large)")
            with zipfile.ZipFile(fh) as zf:
                out = {}
                for name in names:
                    info = zf.getinfo(f"{name}.npy")
                    if info.compress_type != zipfile.ZIP_STORED or info.file_size > size:
                        raise Damaged(f"{rel} is not a cache this program wrote ({name} is compressed)")
                    with zf.open(info) as member:
                        shape, dtype = _npy_header(member, rel)
                        nbytes = _nbytes(shape, dtype)
                        if member.tell() + nbytes != info.file_size:
                            raise Damaged(f"{rel}: {name} is not the size its header says")
                        out[name] = np.frombuffer(member.read(nbytes), dtype=dtype).reshape(shape)
                return out
        except Damaged:
            raise
        except Exception as err:  # BadZipFile, a missing member, a bad CRC, a torn header, EIO: all damage
            raise Damaged(f"{rel} is not a readable cache ({type(err).__name__})") from None


def _zip_directory_size(fh, size: int) -> int:
    """The size of a zip's central directory as its end record says: what ZipFile reads whole first."""
    tail = min(size, 22 + 0xFFFF)  # the end record, after which a comment of at most 64 KB
    fh.seek(size - tail)
    data = fh.read(tail)
    fh.seek(0)
    at = data.rfind(b"PK\x05\x06")
    return int.from_bytes(data[at + 12: at + 16], "little") if 0 <= at <= len(data) - 22 else 0


def read_pointer(root: Path) -> str | None:
    """The version folder `CURRENT` names; None when there is no index at all; Damaged otherwise."""
    try:
        data = read_all(root, POINTER, POINTER_MAX)
    except Missing:
        if any(VERSION_NAME.fullmatch(n) for n in _names(root)):
            raise Damaged(f"{POINTER} is missing though version folders are there") from None
        return None
    try:
        name = data.decode("ascii").strip()
    except UnicodeDecodeError:
        name = ""
    if not VERSION_NAME.fullmatch(name):
        raise Damaged(f"{POINTER} does not name a version folder")
    return name


def _names(root: Path) -> list[str]:
    try:
        return os.listdir(root)
    except OSError:
        return []


def remove(path: Path) -> None:
    """Remove a file, a symlink (never what it points to) or a whole folder; quietly when gone."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass


def clear_way(path: Path, folder: bool) -> None:
    """Remove whatever damaged thing stands where a save must put a file (or a folder): a folder in a
    file's place, a file in a folder's, a symlink, a FIFO. A regular file in a file's place stays
    (the save replaces it atomically)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)):
        return
    remove(path)


def prepare_root(root: Path) -> None:
    """Make the index folder. Something that is not a folder in its place (it may be the user's, when
    SIGNPOST_INDEX_DIR names it) is moved aside, never deleted."""
    if os.path.lexists(root) and not root.is_dir():
        os.rename(root, root.with_name(f"{root.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}"))
    root.mkdir(parents=True, exist_ok=True)


def sync_file(fh) -> None:
    """Push an open file's bytes to the disk."""
    fh.flush()
    os.fsync(fh.fileno())


def sync_path(path: Path) -> None:
    """fsync a file or a folder by name (a folder: so that a rename inside it survives a power cut)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def save_lock(root: Path) -> Iterator[None]:
    """Hold the folder's advisory save lock (released by the kernel if the process dies)."""
    path = root / LOCK
    for attempt in (1, 2):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
            if stat.S_ISREG(os.fstat(fd).st_mode):
                break
            os.close(fd)
        except OSError:
            if attempt == 2:
                raise
        clear_way(path, folder=False)  # a damaged lock file carries nothing: replace it
    else:
        raise OSError(f"cannot make the save lock {path}")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def publish(root: Path, written: Path) -> str:
    """Make a completely written folder the current version; retire every other version but the one
    current until now (a reader may be loading it). Returns the new version's name."""
    with save_lock(root):
        try:
            previous = read_pointer(root)
        except Exception:  # a damaged pointer: nothing to keep for readers
            previous = None
        name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        os.rename(written, root / name)
        pointer = root / f".{POINTER}.{uuid.uuid4().hex}"
        with open(pointer, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            sync_file(fh)
        clear_way(root / POINTER, folder=False)
        os.replace(pointer, root / POINTER)
        sync_path(root)
        # Under the lock no other save is between naming its folder and pointing CURRENT at it, so
        # every version but these two is retired: renamed away at once, deleted after the lock.
        retired = []
        for entry in _names(root):
            if entry.startswith("v-") and entry not in (name, previous):
                trash = root / f".trash-{entry}-{uuid.uuid4().hex[:8]}"
                try:
                    os.rename(root / entry, trash)
                    retired.append(trash)
                except OSError:
                    pass
    for trash in retired:
        remove(trash)
    sweep(root)
    return name


def sweep(root: Path) -> None:
    """Remove what interrupted saves left: retired versions at once; a folder or pointer being
    written, or a cache not yet renamed, once stale (no save takes that long, so none is running)."""
    stale = time.time() - STALE_SECONDS
    leftovers = [root / n for n in _names(root) if n.startswith((".tmp-v-", f".{POINTER}."))]
    leftovers += [root / "cache" / n for n in _names(root / "cache") if n.startswith(".") and n.endswith(".tmp")]
    for path in leftovers:
        try:
            if os.lstat(path).st_mtime < stale:
                remove(path)
        except OSError:
            pass
    for name in _names(root):
        if name.startswith(".trash-"):
            remove(root / name)


def short(value) -> str:
    """A value read from a damaged file, fit for a warning: short, and only if it is a plain scalar."""
    return repr(value)[:40] if isinstance(value, (str, int, float)) or value is None else type(value).__name__


def checked_meta(data: bytes, rel: str, model: str, dim: int, fmt: int, kinds) -> dict:
    """meta.json, parsed and checked to the last field; Damaged with what is wrong otherwise."""
    try:
        meta = json.loads(data)
    except (ValueError, RecursionError):
        raise Damaged(f"{rel} is not valid JSON") from None
    if not isinstance(meta, dict):
        raise Damaged(f"{rel} is not a JSON object")
    if meta.get("format") != fmt:
        raise Damaged(f"{rel} is of format {short(meta.get('format'))}, not {fmt} (an older release's?)")
    if meta.get("model") != model or type(meta.get("dim")) is not int or meta["dim"] != dim:
        raise Damaged(f"the saved index is for model {short(meta.get('model'))} of dimension "
                            f"{short(meta.get('dim'))}, not {model} of dimension {dim}")
    ids, content, text = meta.get("ids"), meta.get("content_hashes"), meta.get("text_hashes")
    if not (isinstance(ids, list) and all(rid is None or isinstance(rid, str) for rid in ids)):
        raise Damaged(f"{rel} has no list of listing ids")
    if not all(isinstance(h, list) and len(h) == len(ids) and all(isinstance(x, str) for x in h)
               for h in (content, text)):
        raise Damaged(f"{rel} has hash lists that do not match its {len(ids)} ids")
    live = [rid for rid in ids if rid is not None]
    if len(set(live)) != len(live):
        raise Damaged(f"{rel} names a listing twice")
    if meta.get("kind") not in kinds:
        raise Damaged(f"{rel} names an unknown index kind {short(meta.get('kind'))}")
    version = meta.get("directory_version")
    if not (version is None or type(version) is int):
        raise Damaged(f"{rel} has a directory version that is not a number")
    sums = meta.get("files")
    if not (isinstance(sums, dict) and all(
            isinstance(sums.get(n), list) and len(sums[n]) == 2 and all(type(x) is int and x >= 0 for x in sums[n])
            for n in ("vectors.npy", "faiss.index"))):
        raise Damaged(f"{rel} does not record the size and checksum of each file")
    return meta
