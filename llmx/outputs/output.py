"""The files a batch writes: JSONL, CSV and Parquet, the resume state, the lock, atomic writes.

`llmx extract … -o NAME` owns three files (see `BatchOutput`):

    NAME              what was asked for: JSONL (one report per line), CSV (one
                      indicator per row, UTF-8 with BOM) or Parquet (one indicator
                      per row, typed columns: `llmx.outputs.records`)
    NAME.llmx.jsonl   the resume state when NAME is not JSONL (for JSONL, NAME is its
                      own state): every report's full result, one per line; kept
    .NAME.lock        held with flock while a batch writes NAME; gone when it ends

A second process writing the same NAME gets `OutputLockedError` and touches
nothing. A line is appended and fsynced as each report completes; a write that
fails (a full disk) is cut back, so the file ends in a whole line. Rewrites go
through a temporary file beside the target and a rename: the target holds its old
content or its new one, never a mix, and no temporary file is left behind.

JSONL lines hold no character that `str.splitlines` breaks on (U+2028, U+2029,
U+0085 are written as `\\u` escapes), and they are read by splitting on "\\n" only,
so any line reader and the resume step see one report per line whatever its text holds.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError, OutputLockedError
from .cells import csv_writer
from ..models import ReportResult

try:
    import fcntl
except ImportError:  # not POSIX: no lock
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "CSV_COLUMNS", "BatchOutput", "csv_rows", "dump_line", "read_results", "state_path", "to_csv", "write_atomic",
]

CSV_COLUMNS = (
    "doc", "region", "doc_number", "name", "value", "unit", "kind", "period", "approx", "quote", "start", "end", "section",
)
STATE_SUFFIX = ".llmx.jsonl"
FORMATS = ("jsonl", "csv", "parquet")

# Every character `str.splitlines` breaks a line on that JSON itself leaves unescaped
# (it escapes \n, \r and the other C0 controls already).
_LINE_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def csv_rows(results: Iterable[ReportResult]) -> Iterable[list[object]]:
    """One row per indicator, in `CSV_COLUMNS` order."""
    for r in results:
        for ind in r.indicators:
            yield [
                r.doc, r.meta.region or "", r.meta.doc_number or "", ind.name, f"{ind.value:.12g}", ind.unit or "",
                ind.kind, ind.period or "", ind.approx, ind.quote.replace("\n", " "), ind.start, ind.end, ind.section,
            ]


def to_csv(results: Iterable[ReportResult]) -> str:
    """CSV text with a header; write it as UTF-8 with BOM (`utf-8-sig`) so Excel opens the Chinese cleanly."""
    buf = io.StringIO()
    writer = csv_writer(buf)  # no cell can start a formula (llmx.outputs.cells)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(results))
    return buf.getvalue()


def dump_line(result: ReportResult) -> str:
    """One JSONL line (with its "\\n") that every line splitter reads as one line."""
    return result.model_dump_json().translate(_LINE_BREAKS) + "\n"


def read_results(path: Path) -> list[ReportResult]:
    """The results in a JSONL file, in file order; a torn or invalid line is skipped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise _error(path, exc, "read") from None
    out = []
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            out.append(ReportResult.model_validate_json(raw))
        except ValueError:  # a line cut short by a kill or a full disk, or not ours
            continue
    return out


def state_path(output: Path, fmt: str = "jsonl") -> Path:
    """Where a batch writing `output` in `fmt` keeps its resume state."""
    return output if fmt == "jsonl" else output.with_name(output.name + STATE_SUFFIX)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` through a temporary file and a rename (fsynced).

    On failure `path` keeps its old content, the temporary file is removed, and
    `OutputError` says why in one line.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException as exc:  # a full disk, or Ctrl-C: no temporary file stays behind
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _error(path, exc) from None
        raise
    _fsync_dir(path.parent)


class BatchOutput:
    """The output of one batch: the file asked for, its resume state and its lock.

    Use it as a context manager (the lock is held inside; re-entrant), then
    `begin()` for the reports already done, `record(result)` as each completes, and
    `finish(results)` to rewrite the state in input order and write NAME.
    """

    def __init__(self, path: str | Path, fmt: str = "jsonl") -> None:
        if fmt not in FORMATS:
            raise OutputError(f"unknown output format {fmt!r}: jsonl, csv or parquet")
        if fmt == "parquet":  # before any report is read, let alone a model started
            from .records import need_pyarrow

            need_pyarrow(f"{path}: Parquet output")
        self.path = Path(path)
        self.fmt = fmt
        self.state = state_path(self.path, fmt)
        self.lock_path = self.path.with_name(f".{self.path.name}.lock")
        # the SHA-256 of the CSV llmx wrote last: a file that differs was edited, and is not overwritten
        self.written = self.path.with_name(f".{self.path.name}.llmx-sha256")
        self._lock_fd: int | None = None
        self._depth = 0
        self._sink: int | None = None

    # -- the lock ---------------------------------------------------------------------

    def __enter__(self) -> "BatchOutput":
        self.lock()
        return self

    def __exit__(self, *exc: object) -> None:
        self.unlock()

    def lock(self) -> None:
        """Check the place and take the lock; `OutputLockedError` when another process holds it."""
        if self._depth:
            self._depth += 1
            return
        self._check_place()
        while True:
            try:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                raise _error(self.path, exc) from None
            if fcntl is None:
                break
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise OutputLockedError(
                    f"{self.path}: another llmx process is writing this output (it holds {self.lock_path}); "
                    "wait for it to end or choose another -o") from None
            try:  # the holder before us may have removed the file between our open and flock
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self._lock_fd = fd
        self._depth = 1

    def unlock(self) -> None:
        """Release the lock (removing the lock file) once the outermost holder is done."""
        if not self._depth:
            return
        self._depth -= 1
        if self._depth or self._lock_fd is None:
            return
        self.close()
        try:
            self.lock_path.unlink()
        except OSError:
            pass
        os.close(self._lock_fd)
        self._lock_fd = None

    def _check_place(self) -> None:
        folder = self.path.parent
        if not folder.exists():
            raise OutputError(f"{self.path}: the directory {folder} does not exist; create it first")
        if not folder.is_dir():
            raise OutputError(f"{self.path}: {folder} is not a directory")
        if self.path.is_dir():
            raise OutputError(f"{self.path} is a directory; -o names a file")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{self.path}: the directory {folder} is read-only")
        for target, ours in ((self.path, self._looks_ours(self.path)), (self.state, self._looks_ours(self.state))):
            if not ours:
                raise OutputError(f"{target} exists and is not llmx's {self.fmt if target == self.path else 'state'}"
                                  " output; move it away or choose another -o (llmx will not overwrite it)")
        if self.fmt == "csv" and self._edited():
            raise OutputError(f"{self.path} was changed since llmx wrote it (edited by hand?); move it away or "
                              "choose another -o (llmx will not overwrite the edits)")

    def _edited(self) -> bool:
        """Whether the CSV differs from the one llmx wrote last (as its recorded SHA-256 says)."""
        try:
            recorded = self.written.read_text(encoding="ascii").strip()
            current = hashlib.sha256(self.path.read_bytes()).hexdigest()
        except (OSError, UnicodeDecodeError):
            return False  # nothing written before, or no record of it
        return recorded != current

    def _looks_ours(self, target: Path) -> bool:
        """Whether `target` is absent, empty, or starts like what llmx writes there."""
        try:
            with target.open("rb") as fh:
                head = fh.read(64)
        except FileNotFoundError:
            return True
        except OSError as exc:
            raise _error(target, exc, "read") from None
        if not head.strip():
            return True
        if target == self.path and self.fmt == "csv":
            return head.removeprefix(b"\xef\xbb\xbf").startswith(b"doc,")
        if target == self.path and self.fmt == "parquet":
            return head.startswith(b"PAR1")
        return head.startswith(b'{"doc":')

    # -- the state and the output -------------------------------------------------------

    def begin(self) -> dict[str, ReportResult]:
        """The successful results already in the state, by path; the state is rewritten
        to hold just those (a torn line and failed reports go) and opened for appending."""
        if not self._depth:
            raise OutputError(f"{self.path}: begin() outside the lock")
        done = {r.path: r for r in read_results(self.state) if r.ok}
        write_atomic(self.state, "".join(dump_line(r) for r in done.values()).encode("utf-8"))
        try:
            self._sink = os.open(self.state, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            raise _error(self.state, exc) from None
        return done

    def record(self, result: ReportResult) -> None:
        """Append one result and fsync it; on failure cut the file back to whole lines."""
        if self._sink is None:
            raise OutputError(f"{self.path}: record() before begin()")
        data = dump_line(result).encode("utf-8")
        end = os.lseek(self._sink, 0, os.SEEK_END)
        try:
            _write_all(self._sink, data)
            os.fsync(self._sink)
        except OSError as exc:
            try:
                os.ftruncate(self._sink, end)
            except OSError:
                pass
            raise _error(self.state, exc) from None

    def finish(self, results: Iterable[ReportResult]) -> None:
        """Rewrite the state in the given (input) order and write the output asked for."""
        self.close()
        results = list(results)
        write_atomic(self.state, "".join(dump_line(r) for r in results).encode("utf-8"))
        if self.fmt == "csv":
            data = to_csv(results).encode("utf-8-sig")
            write_atomic(self.path, data)
            write_atomic(self.written, hashlib.sha256(data).hexdigest().encode("ascii"))
        elif self.fmt == "parquet":
            from .records import to_parquet_bytes

            write_atomic(self.path, to_parquet_bytes(results))

    def close(self) -> None:
        """Stop appending (what was recorded stays)."""
        if self._sink is not None:
            os.close(self._sink)
            self._sink = None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_HINTS = {
    errno.ENOSPC: "the disk is full; free some space and run the same command again to resume",
    errno.EDQUOT: "the disk quota is spent; free some space and run the same command again to resume",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the directory does not exist",
}


def _error(path: Path, exc: OSError, verb: str = "write") -> OutputError:
    hint = _HINTS.get(exc.errno or 0) or exc.strerror or str(exc)
    return OutputError(f"cannot {verb} {path}: {hint}")
