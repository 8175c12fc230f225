"""Rendering several handouts at once, in a pool of worker processes.

WeasyPrint's layout is pure Python and holds the interpreter's lock, so threads would
take turns; processes run side by side, one per core. The pool is created once per
server process, on the first batch that needs it, and kept: each of its processes builds
its own renderer once (fonts, stylesheets, template) and then only lays out documents.
Processes are started with "spawn", never forked from a server process that may hold
threads and database connections.

A handout that fails to render fails alone; a pool whose process died is replaced on the
next call.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from clinic.handouts.content import Handout, HandoutOptions
from clinic.handouts.render import HandoutRenderer

_renderer: HandoutRenderer | None = None  # in each pool process
_pools: dict[tuple[str, str, int], ProcessPoolExecutor] = {}
_lock = threading.Lock()


def default_size() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _start(static_dir: str, templates_dir: str) -> None:
    """Build and warm this process's renderer, then move it out of the cyclic garbage
    collector's way, as a server process does (``printing.prepare_to_serve``)."""
    global _renderer
    _renderer = HandoutRenderer(Path(static_dir), Path(templates_dir))
    _renderer.warm_up()
    gc.collect()
    gc.freeze()


def _render(handout: Handout, options: HandoutOptions) -> bytes:
    if _renderer is None:
        raise RuntimeError("the pool process has no renderer")
    return _renderer.render(handout, options)


def _pool(static_dir: Path, templates_dir: Path, size: int) -> ProcessPoolExecutor:
    key = (str(static_dir), str(templates_dir), size)
    with _lock:
        pool = _pools.get(key)
        if pool is None:
            pool = ProcessPoolExecutor(
                max_workers=size,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(key[0], key[1]),
            )
            _pools[key] = pool
        return pool


def _discard(static_dir: Path, templates_dir: Path, size: int) -> None:
    with _lock:
        pool = _pools.pop((str(static_dir), str(templates_dir), size), None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def render_many(
    jobs: Sequence[tuple[Handout, HandoutOptions]],
    static_dir: Path,
    templates_dir: Path,
    size: int,
) -> list[bytes | Exception]:
    """Each job's PDF, or the exception its render raised, in the order given."""
    if not jobs:
        return []
    pool = _pool(static_dir, templates_dir, size)
    try:
        futures: list[Future[bytes]] = [pool.submit(_render, *job) for job in jobs]
    except BrokenProcessPool:
        _discard(static_dir, templates_dir, size)
        pool = _pool(static_dir, templates_dir, size)
        futures = [pool.submit(_render, *job) for job in jobs]
    results: list[bytes | Exception] = []
    for future in futures:
        try:
            results.append(future.result())
        except BrokenProcessPool as broken:
            _discard(static_dir, templates_dir, size)
            results.append(broken)
        except Exception as error:
            results.append(error)
    return results


def shut_down() -> None:
    """Stop every pool of this process (tests, and a server shutting down)."""
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)
