"""HTML pages of the referrals app (split by who uses them)."""

from .break_glass import break_glass
from .case import (
    access_log,
    assessment,
    assign,
    attachment_download,
    attachment_upload,
    decide,
    detail,
    note_add,
)
from .draft import (
    check,
    confirmation,
    contact,
    delete_draft,
    first_question,
    record,
    section,
    start,
    task_list,
    urgent,
)
from .lists import my_referrals, queue, queue_export

__all__ = [
    "access_log",
    "assessment",
    "assign",
    "attachment_download",
    "attachment_upload",
    "break_glass",
    "check",
    "confirmation",
    "contact",
    "decide",
    "detail",
    "my_referrals",
    "note_add",
    "queue",
    "queue_export",
    "record",
    "first_question",
    "section",
    "start",
    "task_list",
    "delete_draft",
    "urgent",
]
