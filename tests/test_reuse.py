"""newsgen.reuse: a pass's value for a record is reused only for the same object and key, and
only from its last run."""
from newsgen.reuse import Reuse


class Record:
    pass


def test_values_are_reused_for_the_same_object_and_key_from_the_last_run_only() -> None:
    table: Reuse[str] = Reuse()
    calls: list[str] = []

    def compute(value: str):
        return lambda: calls.append(value) or value

    a, b, equal_to_a = Record(), Record(), Record()
    table.start()
    assert table.get(a, 1, compute("a1")) == "a1" and table.get(b, 1, compute("b1")) == "b1"
    table.start()
    assert table.get(a, 1, compute("again")) == "a1"  # same object, same key
    assert table.get(b, 2, compute("b2")) == "b2"  # another key
    assert table.get(equal_to_a, 1, compute("other")) == "other"  # another object
    table.start()
    assert table.get(b, 2, compute("again")) == "b2"
    table.start()  # the last run did not ask for `a`: it was dropped
    assert table.get(a, 1, compute("a1 again")) == "a1 again"
    assert calls == ["a1", "b1", "b2", "other", "a1 again"]


def test_a_kept_record_keeps_its_identity() -> None:
    """The table holds its records: a new object can never take the id of a forgotten one."""
    table: Reuse[int] = Reuse()
    table.start()
    for n in range(100):
        table.get(Record(), None, lambda n=n: n)
    table.start()
    assert all(table.get(Record(), None, lambda: -1) == -1 for _ in range(100))


def test_again_takes_the_last_value_of_the_same_object_and_keeps_it_for_the_next_run() -> None:
    table: Reuse[str] = Reuse()
    a, b = Record(), Record()
    table.start()
    table.get(a, 1, lambda: "a1")
    table.start()
    assert table.again(a) == "a1" and table.again(b) is None
    table.start()  # `again` kept it, as `get` would have
    assert table.again(a) == "a1"
    table.start()  # a run that does not ask for `a`
    table.start()
    assert table.again(a) is None
