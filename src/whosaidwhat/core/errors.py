"""One family of exceptions. Their messages are the final text a user reads; the CLI prints them as
they are, on one line, and exits with the error's ``exit_code``."""

from __future__ import annotations


class CorpusError(Exception):
    """Base of every error the package raises on purpose."""

    exit_code = 1


class UnusableInputError(CorpusError):
    """A file cannot be read or parsed at all (missing, not UTF-8, broken JSON)."""

    exit_code = 2

    def __init__(self, path, detail: str, line: int | None = None):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {detail}")
        self.path, self.detail, self.line = str(path), detail, line


class DuplicateArticleError(CorpusError):
    """An article with the same text (same sha256) is already in the corpus."""


class AlreadyExistsError(CorpusError):
    """A file that must never be overwritten (an article, a raw export, a release) already exists."""


class InvalidDataError(CorpusError):
    """Data failed validation; ``problems`` holds every problem found."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


class NoSpaceError(CorpusError):
    """The disk (or the quota) filled up while a file was being written. What was half-written is
    removed by the writer that was interrupted (temporary files, the building folder of a release)."""

    def __init__(self, path, what: str):
        super().__init__(f"{path}: no space left on the device while writing {what}; nothing half-written was "
                         f"kept (free some space and run the command again)")
        self.path, self.what = str(path), what

    def __reduce__(self):  # raised in a worker process, it crosses back to the parent whole
        return NoSpaceError, (self.path, self.what)
