"""The events pages, one module per feature; events/urls.py names them from here.

events: the list, an event's page, its calendar file, creating/editing/cancelling.
registration: registering oneself, and coordinators registering, cancelling, roles.
attendance: the participant report and checking in.
breakouts: themes, allocation, moves, exports (coordinators).
board: the live board of one breakout group.
chat_import: a call's chat or transcript as contributions.
feedback: feedback from the people who came, and entered by coordinators.
"""

from cairn.events.views.attendance import attendance_page, check_in
from cairn.events.views.board import group_board, group_notes
from cairn.events.views.breakouts import breakouts_page, export_csv, print_groups
from cairn.events.views.chat_import import import_chat_page, import_chat_result, import_checked
from cairn.events.views.events import (
    event_calendar,
    event_cancel,
    event_detail,
    event_edit,
    event_list,
)
from cairn.events.views.feedback import feedback_enter, feedback_page
from cairn.events.views.registration import (
    cancel_mine,
    cancel_registration,
    register,
    register_on_behalf,
    registrations,
    set_role,
)

__all__ = [
    "attendance_page",
    "breakouts_page",
    "cancel_mine",
    "cancel_registration",
    "check_in",
    "event_calendar",
    "event_cancel",
    "event_detail",
    "event_edit",
    "event_list",
    "export_csv",
    "feedback_enter",
    "feedback_page",
    "group_board",
    "group_notes",
    "import_chat_page",
    "import_chat_result",
    "import_checked",
    "print_groups",
    "register",
    "register_on_behalf",
    "registrations",
    "set_role",
]
