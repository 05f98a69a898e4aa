"""The one exception hierarchy of llmx.

    LlmxError
    ├── ArgumentError              a public function got an argument of the wrong type (also a TypeError)
    ├── RunningLoopError           a synchronous entry point called inside a running event loop
    │                              (also a RuntimeError): await the async one (`llmx.aextract_text`)
    ├── InputError                 a report llmx cannot read (names the file)
    │   ├── EmptyDocumentError     the file is empty or holds only white space
    │   ├── NotTextError           binary content, or an encoding that cannot be detected
    │   ├── UnreadableDocumentError  a .docx, .pdf or .html file its library cannot parse
    │   ├── ScannedPdfError        a PDF with no text layer (a scan): llmx does no OCR
    │   ├── GoldFormatError        a gold file that does not follow eval/gold's format
    │   ├── LinksFormatError       a links file (`llmx panel --links`) that is not one
    │   └── FileTimeoutError       a report of a batch that took longer than its time limit
    ├── MissingPackageError        an optional package a feature needs is not installed (also an
    │                              ImportError): names the package and the extra that brings it
    ├── ConfigError                a setting of the wrong type, out of range, or contradictory
    ├── OutputError                an output, state, lock or cache file cannot be written or read
    │   └── OutputLockedError      another llmx process is writing the same output
    ├── ModelError                 the model endpoint failed for good
    │   ├── EndpointError          unreachable, or kept failing after the bounded retries
    │   │   └── NotACompletionError   an HTTP 200 whose body is not a chat completion (transient)
    │   └── BudgetExceededError    the batch's token budget would be exceeded
    ├── ClusterError               Ray cannot be used: not installed, no cluster at the address,
    │                              or the cluster failed the run (`llmx extract --ray`)
    └── LocalModelError            the embedded model cannot run
        ├── MissingDependencyError llama-cpp-python or the weight parts are not installed
        └── ServerStartError       the local server did not come up

Every error carries a message a user can act on; `InputError` also carries the path.
"""

from __future__ import annotations

__all__ = [
    "LlmxError",
    "ArgumentError",
    "RunningLoopError",
    "InputError",
    "EmptyDocumentError",
    "NotTextError",
    "UnreadableDocumentError",
    "ScannedPdfError",
    "GoldFormatError",
    "LinksFormatError",
    "FileTimeoutError",
    "MissingPackageError",
    "ConfigError",
    "OutputError",
    "OutputLockedError",
    "ModelError",
    "EndpointError",
    "NotACompletionError",
    "BudgetExceededError",
    "ClusterError",
    "LocalModelError",
    "MissingDependencyError",
    "ServerStartError",
]


class LlmxError(Exception):
    """Base of every error llmx raises on purpose."""


class ArgumentError(LlmxError, TypeError):
    """A public function was called with an argument of the wrong type (text that is
    not a str, settings that are not a `Settings`, ...). Also a `TypeError`."""


class RunningLoopError(LlmxError, RuntimeError):
    """A synchronous entry point (`llmx.extract_text`, `llmx.extract_file`) was called
    in a thread whose event loop is running (Jupyter, an async server): it cannot
    start a loop of its own there. Await the async twin instead (`llmx.aextract_text`,
    `llmx.aextract_file`). Also a `RuntimeError`."""


class InputError(LlmxError):
    """A report (or gold file) that cannot be read; `path` names it."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class EmptyDocumentError(InputError):
    """The file is empty or holds only white space."""


class NotTextError(InputError):
    """The file is binary or in an encoding llmx cannot detect."""


class UnreadableDocumentError(InputError):
    """A .docx, .pdf or .html file that its reading library cannot parse: damaged,
    encrypted, or not the format its suffix says."""


class ScannedPdfError(InputError):
    """A PDF whose pages hold no text layer, only images (a scan): llmx reads a PDF's
    text and does no OCR; give it the PDF after OCR (ocrmypdf adds a text layer)."""


class GoldFormatError(InputError):
    """A gold file breaks the gold format."""


class LinksFormatError(InputError):
    """A links file passed to `llmx panel --links` lacks its columns or has an empty name."""


class FileTimeoutError(InputError):
    """A report of a batch took longer than `Settings.file_timeout` (`LLMX_FILE_TIMEOUT`): it
    fails alone, recorded with this error; a re-run retries it."""


class MissingPackageError(LlmxError, ImportError):
    """An optional package that a feature needs is not installed: a file format's reader
    (python-docx, pdfplumber, selectolax), pyarrow for Parquet, pandas or polars for a
    DataFrame. The message names the package and the `pip install 'llmx[...]'` that
    brings it. Also an `ImportError`."""


class ConfigError(LlmxError):
    """A setting of the wrong type, out of range, or contradictory; the message names it and its value."""


class OutputError(LlmxError):
    """An output, resume-state, lock or cache file that cannot be written or read
    (a missing or read-only directory, a full disk, a corrupted cache)."""


class OutputLockedError(OutputError):
    """Another llmx process holds the lock of the same output file."""


class ModelError(LlmxError):
    """The model endpoint failed for good."""


class EndpointError(ModelError):
    """The endpoint was unreachable or kept failing after bounded retries."""


class NotACompletionError(EndpointError):
    """The endpoint answered HTTP 200 with a body that is not a chat completion
    (truncated JSON, an HTML page, prose, some other JSON): a wrong base URL or a
    proxy. A transport fault, retried like a 5xx; never taken for a model answer."""


class BudgetExceededError(ModelError):
    """Going on would exceed the batch's token budget."""


class ClusterError(LlmxError):
    """Ray cannot run the batch: it is not installed (`pip install 'llmx[ray]'`), no
    cluster answers at the address, or the cluster failed the run. What was done stays
    in the output, and the same command resumes."""


class LocalModelError(LlmxError):
    """The embedded local model cannot run."""


class MissingDependencyError(LocalModelError):
    """llama-cpp-python or the model weight parts are not installed."""


class ServerStartError(LocalModelError):
    """The local model server did not start or did not become ready."""
