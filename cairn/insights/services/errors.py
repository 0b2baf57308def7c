"""The one error insights' services raise for a request they cannot carry out."""


class InsightsError(ValueError):
    pass
