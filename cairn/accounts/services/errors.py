"""Errors raised by the accounts services."""


class AccountError(ValueError):
    pass
