"""Errors services raise; views and the API turn them into 400, 403 and 409 answers."""


class TransitionNotAllowed(Exception):
    """The transition cannot run from the case's current state (409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class GuardFailed(Exception):
    """Required data is missing or wrong (400). ``errors`` maps field to message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class ActionForbidden(Exception):
    """The case is visible to the user, but this action is not theirs to take (403)."""


class StaleEdit(Exception):
    """Someone else saved the case since this user opened it."""

    def __init__(self, current_version: int):
        super().__init__("changed by someone else")
        self.current_version = current_version
