"""Letting the window's thread run while worker threads hold Python's GIL.

Layers load, and maps render, on worker threads; the window's thread needs the GIL
for every event it handles.  CPython hands the GIL to a waiting thread when the
holder has kept it for a switch interval (5 ms) *without releasing it*.  A worker
that releases and retakes it thousands of times a second — sqlite does for every
row fetched, numpy for many array operations, PySide for many Qt calls — retakes it
each time before the waiting thread has woken up, and is never asked to let go: the
window's thread can starve for 100 ms and more (CPython's "convoy effect"), the more
so the more workers run.

Two measures, both in :func:`share_gil`, which long worker loops call between steps:

* at most every :data:`GIL_SLICE_S` a worker releases the GIL with ``time.sleep(0)``,
  the way CPython's switching expects, so that a thread waiting for it gets it;
* while the window is busy with background work it calls :func:`window_beat` from a
  timer; when the beats stop coming (the window's thread is waiting for the GIL),
  workers stand back until the next beat.
"""

from __future__ import annotations

import threading
import time

#: A worker thread offers the GIL to the other threads at least this often (seconds).
GIL_SLICE_S = 0.004
#: Beat interval of the window's timer while workers run (milliseconds).
WINDOW_BEAT_MS = 10
#: Workers stand back when the window's last beat is older than this (seconds)…
WINDOW_LATE_S = 0.025
#: …for at most this long (a window busy with its own work is not waited for longer)…
WINDOW_WAIT_S = 0.03
#: …and not at all once the beats have stopped this long: the window's thread is busy
#: with something else, or waits for the workers itself, or is gone.
WINDOW_GONE_S = 0.25

_slice = threading.local()
_MAIN = threading.main_thread().ident
_window_thread: int | None = None
_last_beat: float | None = None
_beat = threading.Event()


def window_beat() -> None:
    """Tell workers that the window's thread has just run (call it on that thread,
    every :data:`WINDOW_BEAT_MS` while background work runs)."""
    global _window_thread, _last_beat
    _window_thread = threading.get_ident()
    _last_beat = time.perf_counter()
    _beat.set()


def window_rests() -> None:
    """Stop the beats: workers no longer wait for the window."""
    global _last_beat
    _last_beat = None
    _beat.set()


def window_blocks() -> None:
    """Call before the window's thread waits for workers (a synchronous render):
    they must not wait for it meanwhile.  No effect on other threads."""
    if threading.get_ident() == _window_thread:
        window_rests()


def share_gil() -> None:
    """Let a thread waiting for the GIL have it, once per :data:`GIL_SLICE_S` of work.

    Costs microseconds when nobody waits.  On the window's own thread (a map sheet
    drawn there) it never waits.
    """
    now = time.perf_counter()
    last = getattr(_slice, "t", None)
    if last is None:
        _slice.t = now
        return
    if now - last < GIL_SLICE_S:
        return
    beat = _last_beat
    if beat is not None and WINDOW_LATE_S < now - beat < WINDOW_GONE_S \
            and threading.get_ident() != _window_thread:
        _beat.clear()
        if _last_beat is beat:   # no beat came in between
            _beat.wait(WINDOW_WAIT_S)
    elif threading.active_count() > 1 and threading.get_ident() != _MAIN:
        # a thread alone in its process (``smartgis render``) has nobody to hand the
        # GIL to: on a busy machine, sleep(0) would hand the CPU to other processes;
        # and the main thread drawing itself (a sheet, a synchronous render) is the
        # one the others would hand it to, not the other way round (7 sleeps in a
        # 25 ms street-level render cost it a millisecond)
        time.sleep(0)
    _slice.t = time.perf_counter()


def begin_slice() -> None:
    """Start this thread's slice of work now: a task that has just begun (a render)
    does not hand the GIL over at its first check because the thread's previous task
    ended long ago — on a busy machine that hand-over costs a street-level render
    a large part of its time."""
    _slice.t = time.perf_counter()
