"""Work handed to a forked process: its result, its errors, and the memory it sees."""
from __future__ import annotations

import os

import pytest

from newsgen.background import Background


def pid_and_items(items: list[int]) -> tuple[int, list[int]]:
    return os.getpid(), list(items)


def fail() -> None:
    raise ValueError("disk full")


def test_with_two_jobs_the_work_runs_in_a_child_that_sees_memory_as_it_was_at_the_fork() -> None:
    items = [1, 2]
    work = Background(pid_and_items, (items,), 2)
    items.append(3)  # after the fork: the child does not see it
    pid, seen = work.result()
    assert pid != os.getpid() and seen == [1, 2]


def test_with_one_job_the_work_runs_here_when_its_result_is_asked_for() -> None:
    items = [1, 2]
    work = Background(pid_and_items, (items,), 1)
    items.append(3)
    assert work.result() == (os.getpid(), [1, 2, 3])


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_in_the_work_is_raised_by_result(jobs: int) -> None:
    with pytest.raises(ValueError, match="disk full"):
        Background(fail, (), jobs).result()


def killed() -> None:
    import signal

    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer does


def test_a_child_killed_before_it_answers_is_an_error_not_a_wait_forever() -> None:
    from newsgen.background import BackgroundError

    with pytest.raises(BackgroundError, match="killed|exit code -9"):
        Background(killed, (), 2).result()
