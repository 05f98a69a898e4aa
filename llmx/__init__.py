"""llmx: checked, structured figures from Chinese government work reports.

    >>> import llmx
    >>> result = llmx.extract_file("seeds/putuo-2024-summary.txt")
    >>> result.indicators[0].name, result.indicators[0].value, result.indicators[0].quote

Inside an event loop (Jupyter, async code) await the async twins instead:
`await llmx.aextract_text(text)`, `await llmx.aextract_file(path)`,
`await llmx.aextract_files(paths, output="out.jsonl")` (see `llmx.api`).

Every indicator's value is a number the regex found inside its quote, and
`original_text[indicator.start:indicator.end] == indicator.quote` (the file's text;
for a .docx, .pdf or .html file the text llmx extracted, `result.original_text`).
`llmx.to_dataframe(results)` gives one row per indicator (pandas or polars).
"""

from .api import aextract_file, aextract_files, aextract_text, extract_file, extract_text
from .config import Settings
from .errors import (
    ArgumentError,
    BudgetExceededError,
    ClusterError,
    ConfigError,
    EmptyDocumentError,
    FileTimeoutError,
    EndpointError,
    GoldFormatError,
    InputError,
    LlmxError,
    LocalModelError,
    MissingDependencyError,
    MissingPackageError,
    ModelError,
    NotTextError,
    RunningLoopError,
    ScannedPdfError,
    ServerStartError,
    UnreadableDocumentError,
)
from .models import Indicator, Meta, Rejected, ReportResult, Uncovered, Usage
from .finder.numbers import Mention, find_numbers, find_quantities
from .text.readers import load_report
from .outputs.records import to_dataframe
from .text.source import Source, load_source

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Settings",
    "extract_file",
    "extract_text",
    "aextract_file",
    "aextract_text",
    "aextract_files",
    "load_source",
    "load_report",
    "to_dataframe",
    "Source",
    "find_numbers",
    "find_quantities",
    "Mention",
    "ReportResult",
    "Indicator",
    "Meta",
    "Rejected",
    "Uncovered",
    "Usage",
    "LlmxError",
    "ArgumentError",
    "RunningLoopError",
    "InputError",
    "EmptyDocumentError",
    "FileTimeoutError",
    "NotTextError",
    "UnreadableDocumentError",
    "ScannedPdfError",
    "MissingPackageError",
    "GoldFormatError",
    "ConfigError",
    "ModelError",
    "EndpointError",
    "BudgetExceededError",
    "ClusterError",
    "LocalModelError",
    "MissingDependencyError",
    "ServerStartError",
]
