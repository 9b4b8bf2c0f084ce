"""The one record of a problem found in the data, by every check of every stage: convert's checks of
an export and validate's checks of the corpus and records. A problem names the file, where in it
(the record, or an export's task, annotation and region), the JSON pointer of the field, and what
is wrong, so a report reads ``annotations/records/wsw-....json: wsw-...:a3:q2 /content/0/end: ...``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data. ``unusable`` marks a file that could not be read at all."""

    file: str
    message: str
    pointer: str = ""
    record_id: str | None = None
    line: int | None = None
    unusable: bool = False

    def __str__(self) -> str:
        file = f"{self.file}:{self.line}" if self.line else self.file
        where = " ".join(part for part in (self.record_id, self.pointer) if part)
        return f"{file}: {where + ': ' if where else ''}{self.message}"

    @classmethod
    def of_unusable(cls, file: str, error) -> "Problem":
        """The problem of a file that cannot be read at all (an ``UnusableInputError``)."""
        return cls(file, error.detail, line=error.line, unusable=True)
