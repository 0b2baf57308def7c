from tests.events.conftest import event, person_factory  # noqa: F401
