"""What a reader of a file hands on: the form's text as blocks in reading order, and the one
error that refuses a file."""

from __future__ import annotations

from dataclasses import dataclass

from prevent_cms.errors import FieldError, InvalidInput


class FormRejected(InvalidInput):
    """The file cannot be read as the national form (400, on ``file``); nothing is saved.
    The message says what to do instead, in the officer's words, and names no person."""

    code = "form_rejected"

    def __init__(self, message: str):
        super().__init__({"file": FieldError(str(message), "form_rejected")}, detail=str(message))


@dataclass(frozen=True)
class Block:
    """A paragraph or a table cell. ``row`` identifies the table row it sits in (None for a
    paragraph) and ``column`` its place in that row, so a small table inside an answer
    (household members, other agencies) keeps its rows."""

    text: str
    row: tuple[int, ...] | None = None
    column: int = 0
