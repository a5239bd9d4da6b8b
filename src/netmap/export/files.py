"""Writing files so that a failed write never leaves a truncated file or destroys the previous one.

Every output goes to a temporary file in the same directory and is renamed
into place when complete (an atomic replace on the same file system). A
report directory is built beside its destination and swapped in whole.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import NetmapError

__all__ = ["atomic_path", "write_text_file", "building_directory"]


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed onto ``path`` when the block succeeds, removed when it fails.

    A ``path`` that exists and is not a regular file (a device such as
    ``/dev/null``, a pipe) is written directly. The folder of ``path`` is
    created when missing. ``OSError`` (a full disk,
    a read-only folder) becomes a :class:`NetmapError` naming the file.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('done', ['a.txt'])
    """
    path = Path(path)
    if path.is_dir():
        raise NetmapError(f"cannot write {path}: it is a directory; give a file name")
    if path.exists() and not path.is_file():
        # a device or a pipe (/dev/null, /dev/stdout, a FIFO): write into it; never replace it with a file
        yield path
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
    except OSError as e:
        raise NetmapError(f"cannot write {path}: {e.strerror or e}") from e
    tmp = Path(name)
    try:
        yield tmp
        _keep_mode(path, tmp)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise NetmapError(f"cannot write {path}: {e.strerror or e}; the previous file, if any, is unchanged") from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_file(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def building_directory(outdir: str | Path) -> Iterator[Path]:
    """A fresh directory beside ``outdir`` to build into; it replaces ``outdir`` only when the block succeeds.

    On failure the partial build is removed and ``outdir`` is left as it was.
    """
    out = Path(outdir)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    except OSError as e:
        raise NetmapError(f"cannot create {out}: {e.strerror or e}") from e
    try:
        yield tmp
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.rmdir(old)
            os.replace(out, old)
        try:
            os.replace(tmp, out)
        except OSError:
            if old is not None:
                os.replace(old, out)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise NetmapError(f"cannot write {out}: {e.strerror or e}; the previous output, if any, is unchanged") from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _keep_mode(path: Path, tmp: Path) -> None:
    """Give the new file the permissions the old one had (or the usual ones for a new file)."""
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
