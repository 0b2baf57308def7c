from tests.events.conftest import event, make_person, person_factory  # noqa: F401
