"""themes.text.memory: numpy's huge-page request is off while themes reads a batch, and
the user's setting is back afterwards (also when reading fails, and across threads)."""

import threading

import pytest

from themes.text import memory

pytestmark = pytest.mark.skipif(memory._set_madvise_hugepage is None, reason="this numpy has no huge-page switch")


def numpy_setting() -> bool:
    """numpy's current huge-page setting (read by setting it to itself)."""
    current = memory._set_madvise_hugepage(True)
    memory._set_madvise_hugepage(current)
    return current


@pytest.fixture(params=[True, False], ids=["user-on", "user-off"])
def user_setting(request):
    before = memory._set_madvise_hugepage(request.param)
    yield request.param
    memory._set_madvise_hugepage(before)


def test_off_inside_and_the_users_setting_back_after(user_setting):
    with memory.small_pages():
        assert numpy_setting() is False
        with memory.small_pages():  # re-entrant
            assert numpy_setting() is False
        assert numpy_setting() is False
    assert numpy_setting() is user_setting


def test_restored_when_the_block_raises(user_setting):
    with pytest.raises(KeyError):
        with memory.small_pages():
            raise KeyError("boom")
    assert numpy_setting() is user_setting


def test_the_last_thread_to_leave_restores(user_setting):
    inside, release = threading.Event(), threading.Event()

    def reader():
        with memory.small_pages():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=reader)
    thread.start()
    inside.wait(10)
    with memory.small_pages():
        pass
    assert numpy_setting() is False  # the other thread is still reading
    release.set()
    thread.join(10)
    assert numpy_setting() is user_setting


def test_a_batch_reads_in_small_pages_and_restores(user_setting, tiny_model):
    seen = []
    cache = tiny_model.space.tokens
    original = cache._enter_reading

    def spy():
        seen.append(numpy_setting())
        original()

    cache._enter_reading = spy
    try:
        tiny_model.predict_proba(["Border guards detained Zubarkhanov.", "Drones attacked a pipeline near Tashqent."])
    finally:
        del cache._enter_reading
    assert seen and not any(seen)
    assert numpy_setting() is user_setting
