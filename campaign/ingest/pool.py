"""A pool of worker processes for the CPU-bound half of a fetch run (reading pages).

The fetch threads of a scheduler share one interpreter, so their parsing takes turns on one
core; the pool gives each call a process of its own. Every worker has a pipe of its own, and a
fetch thread borrows an idle worker, sends one call and waits for its answer. So the pool knows
which call a worker was on when it dies (a page that crashes the parser in C, the kernel's
out-of-memory killer): that call alone raises `WorkerDiedError`, the worker is replaced and the
other calls go on. A call that runs longer than `timeout` has its worker killed and raises
`WorkerTimeoutError`. An exception raised by the called function comes back and is raised here.

Workers start together on the first call, from a fork server (spawned where the platform has
none, i.e. Windows) that has imported `preload`, so a worker starts warm; they end with
`close()`, or with this process: a worker whose pipe closes leaves.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

JOIN_SECONDS = 5.0  # how long a closing pool waits for a worker to leave before killing it


class WorkerError(RuntimeError):
    """A call's worker process died or was killed; the call's work is lost."""


class WorkerDiedError(WorkerError):
    """The worker process ended while it ran the call."""


class WorkerTimeoutError(WorkerError):
    """The call ran longer than the pool's timeout; its worker was killed."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection


def _serve(conn: Connection) -> None:
    """A worker's loop: run each call it is sent and send back ("ok", value) or ("error",
    exception), until it is sent None or its pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            call = conn.recv()
        except (EOFError, OSError):
            return  # the pool, or the process that held it, is gone
        if call is None:
            return
        fn, args, kwargs = call
        try:
            reply: tuple[str, Any] = ("ok", fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - raised again in the caller, who decides
            reply = ("error", exc)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # an answer that does not pickle  # noqa: BLE001
            conn.send(("error", RuntimeError(f"unpicklable answer: {type(exc).__name__}: {exc}")))


def _context(preload: Sequence[str]) -> ForkServerContext | SpawnContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context("spawn")


class ProcessPool:
    """`processes` worker processes that run one call each at a time; thread-safe."""

    def __init__(self, processes: int, *, timeout: float = 300.0,
                 preload: Sequence[str] = ()) -> None:
        """A pool of `processes` workers (started on the first call); a call taking longer
        than `timeout` seconds is given up and its worker killed; `preload` names modules the
        fork server imports once for all workers."""
        if processes < 1:
            raise ValueError("a pool needs at least one process")
        self.size = processes
        self.timeout = timeout
        self._context = _context(preload)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self.died = 0  # calls whose worker died
        self.timed_out = 0  # calls given up after `timeout`
        self._started_count = 0

    @property
    def started(self) -> int:
        """How many worker processes the pool has started (replacements included)."""
        with self._lock:
            return self._started_count

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def call(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `fn(*args, **kwargs)` in a worker and return its result; its exception is
        raised here. `fn` and its arguments must pickle (a module-level function).
        Raises `WorkerDiedError` or `WorkerTimeoutError` when the worker is lost on the way."""
        worker = self._borrow()
        try:
            worker.conn.send((fn, args, kwargs))
        except (EOFError, OSError) as exc:
            self._lost(worker)
            raise WorkerDiedError(f"the worker process was gone: {exc}") from exc
        except Exception:  # the call did not pickle: nothing was sent, the worker is fine
            self._idle.put(worker)
            raise
        try:
            if not worker.conn.poll(self.timeout):
                self._lost(worker, timed_out=True)
                raise WorkerTimeoutError(
                    f"no answer after {self.timeout:g} s; the worker was killed")
            status, value = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._lost(worker)
            raise WorkerDiedError(f"the worker process died (exit code "
                                  f"{worker.process.exitcode})") from exc
        except WorkerTimeoutError:
            raise
        except Exception:  # an answer that does not unpickle here: the worker is fine
            self._idle.put(worker)
            raise
        self._idle.put(worker)
        if status == "error":
            raise value
        result: R = value
        return result

    def close(self) -> None:
        """Stop every worker (a busy one is killed after a few seconds); later calls fail."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            with contextlib.suppress(EOFError, OSError):
                worker.conn.send(None)
        for worker in workers:
            worker.process.join(JOIN_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()

    def _borrow(self) -> _Worker:
        """An idle worker, waiting for one to be free (starting them all on the first call)."""
        with self._lock:
            if self._closed:
                raise WorkerError("the pool is closed")
            if not self._started:
                self._started = True
                for _ in range(self.size):
                    self._idle.put(self._start())
        while True:
            try:
                return self._idle.get(timeout=1.0)
            except queue.Empty:
                with self._lock:
                    if self._closed:  # no worker will come back
                        raise WorkerError("the pool is closed") from None

    def _start(self) -> _Worker:
        """Start a worker (the caller holds the lock)."""
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_serve, args=(theirs,), daemon=True,
                                        name=f"extract-{self._started_count}")
        process.start()
        theirs.close()  # so that its death shows here as the end of the pipe
        worker = _Worker(process, ours)
        self._workers.append(worker)
        self._started_count += 1
        return worker

    def _lost(self, worker: _Worker, *, timed_out: bool = False) -> None:
        """Put a dead or stuck worker down and start another in its place."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        with self._lock:
            if timed_out:
                self.timed_out += 1
            else:
                self.died += 1
            log.warning("extraction worker %s %s; starting another", worker.process.pid,
                        "was killed after the timeout" if timed_out else
                        f"died (exit code {worker.process.exitcode})")
            if worker in self._workers:
                self._workers.remove(worker)
            if not self._closed:
                self._idle.put(self._start())
