"""Errors raised by the outreach services."""


class OutreachError(ValueError):
    pass
