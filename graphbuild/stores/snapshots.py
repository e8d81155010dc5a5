"""Published states of an embedded store: what a running server reads while builds write.

A store directory is written by one process at a time (``perfkg build``, an admin update).
Readers must never see it half-written, and should see each finished build without a restart.
So a writer *publishes* when it is done: it makes a checkpoint of the store (Oxigraph's
``backup``, which hard-links the database files: seconds and little disk, whatever the size)
into ``<store>.snapshots/<generation>/`` and then points ``<store>.snapshots/CURRENT`` at it
(written to a temporary file and renamed, so a reader sees the old or the new name, never a
mix). ``perfkg serve`` opens the current snapshot read-only and watches ``CURRENT``: when it
changes, it opens the new snapshot and moves its readers over (:mod:`service.store`,
:mod:`service.sparql.pool`).

The newest :data:`KEEP` generations are kept; older ones are removed by the next publish.
A snapshot shares its files with the store until the store rewrites them, so the disk used
grows by at most the files rewritten since the oldest snapshot kept.

>>> import tempfile, pyoxigraph as ox
>>> folder = Path(tempfile.mkdtemp()) / "store"
>>> database = ox.Store(str(folder))
>>> published = publish(database, folder)
>>> current(folder) == published, published.parent.name
(True, 'store.snapshots')
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from graphbuild.stores.base import StoreError

KEEP = 3
POINTER = "CURRENT"


def snapshots_dir(store: Path) -> Path:
    """``<store>.snapshots``, next to the store directory."""
    return store.with_name(store.name + ".snapshots")


def current(store: Path) -> Path | None:
    """The snapshot ``CURRENT`` points at, or None when the store was never published."""
    folder = snapshots_dir(store)
    try:
        name = (folder / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    found = folder / name
    return found if name and (found / "CURRENT").is_file() else None


def publish(database: ox.Store, store: Path) -> Path:
    """Checkpoint ``database`` (open read-write on ``store``) as the new current snapshot."""
    folder = snapshots_dir(store)
    folder.mkdir(exist_ok=True)
    generation = f"g{time.time_ns():020d}"
    building = folder / f".{generation}.partial"
    try:
        database.flush()
        database.backup(str(building))
        os.replace(building, folder / generation)
        pointer = folder / f".{POINTER}.partial"
        pointer.write_text(generation + "\n", encoding="utf-8")
        os.replace(pointer, folder / POINTER)
    except OSError as error:
        shutil.rmtree(building, ignore_errors=True)
        raise StoreError(f"cannot publish the store {store}: {error}") from None
    _prune(folder, generation)
    return folder / generation


def _prune(folder: Path, newest: str) -> None:
    generations = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name.startswith("g"))
    for name in generations[:-KEEP]:
        if name != newest:
            shutil.rmtree(folder / name, ignore_errors=True)
    for leftover in folder.glob(".g*.partial"):  # a publish that was killed
        shutil.rmtree(leftover, ignore_errors=True)
