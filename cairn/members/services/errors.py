"""Errors raised by the members services."""


class PersonError(ValueError):
    pass
