"""Progress for batch runs: rich bars for files and model calls on a terminal, silence otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

from ..models import ReportResult

__all__ = ["Progress"]


class Progress:
    """Files and sections done, with rate and ETA; a no-op when stderr is not a TTY."""

    def __init__(self, files: int, *, enabled: bool | None = None, sections: bool = True) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None
        self._files_total = files
        self._show_sections = sections  # False on Ray: the sections are counted in the workers

    def __enter__(self) -> "Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TimeRemainingColumn(),
                console=Console(stderr=True), transient=False,
            )
            self._bar.__enter__()
            self._files = self._bar.add_task("reports ", total=self._files_total)
            self._sections = self._bar.add_task("sections", total=0, visible=self._show_sections)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def start(self, path: Path) -> None:
        if self._bar is not None:
            self._bar.update(self._files, description=f"reports  {path.name[:28]:<28}")

    def sections_planned(self, n: int) -> None:
        if self._bar is not None:
            task = self._bar.tasks[self._sections]
            self._bar.update(self._sections, total=(task.total or 0) + n)

    def section_done(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._sections)

    def done(self, result: ReportResult) -> None:
        if self._bar is not None:
            self._bar.advance(self._files)
