"""The ingest lease of a store on a Chroma server: one ingester at a time, across machines.

Chroma has no compare-and-swap, so the lease is taken in two steps: drop stale leases, write our own
record, then read all leases again; if any other live lease is there, we withdraw and are refused. Of two
ingesters racing, at most one proceeds (a single Chroma server reads its own writes), and at worst both are
refused and told to try again — never both write.

A lease lives `expiry` seconds and its holder renews it from a background thread every `expiry / 4`, so an
ingest of any length keeps it while a killed ingester's lease runs out. On the same machine a lease whose
process is gone is stale at once. A holder that finds its lease taken over (it was frozen longer than the
expiry) stops before committing anything more. Clocks of machines sharing a server must roughly agree
(NTP); the expiry (60 s by default) absorbs seconds of skew.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from datetime import UTC, datetime

from regionkunskap.errors import LeaseHeld, StoreError

log = logging.getLogger(__name__)

PREFIX = "lease:"


class ServerLease:
    """This process's claim on a store's ingest lease (see the module docstring)."""

    def __init__(self, collection, *, store: str, expiry: float, connection):
        self._collection = collection
        self.store = store
        self.expiry = expiry
        self._connection = connection
        self.id = PREFIX + uuid.uuid4().hex
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        self.lost = False

    # --- taking and giving back ----------------------------------------------------------------
    def acquire(self) -> None:
        """Take the lease or raise LeaseHeld naming the holder."""
        self._refuse_if_held(self._leases())
        self._write()
        others = [lease for lease in self._leases() if lease["id"] != self.id]
        if others:
            self._delete()
            self._refuse_if_held(others, racing=True)
        self._renewer = threading.Thread(target=self._renew, name="ingest-lease", daemon=True)
        self._renewer.start()

    def release(self) -> None:
        """Stop renewing and delete the lease (skipped when the server stopped answering: it expires)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=1)
        if not self._connection.down and not self.lost:
            try:
                self._delete()
            except StoreError as exc:
                log.warning("could not release the ingest lease (it expires by itself): %s", exc)

    def check(self) -> None:
        """Raise if another ingester took the lease over; writers call this before every commit step."""
        if self.lost:
            raise StoreError(
                f"this ingest lost the lease of store '{self.store}' (it did not renew it for "
                f"{self.expiry:g} s, REGIONKUNSKAP_LEASE_EXPIRY) and another ingest took over; nothing more was "
                "written — run the ingest again when the other one is done"
            )

    # --- records --------------------------------------------------------------------------------
    def _leases(self) -> list[dict]:
        """Live leases on the store; stale ones (expired, or of a dead process here) are deleted."""
        got = self._collection.get(where={"kind": "lease"}, include=["documents"])
        live: list[dict] = []
        stale: list[dict] = []
        for lease_id, text in zip(got["ids"], got["documents"], strict=True):
            lease = {**json.loads(text), "id": lease_id}
            (stale if lease_id != self.id and self._is_stale(lease) else live).append(lease)
        if stale:
            log.info("taking over %d stale ingest lease(s) of store '%s'", len(stale), self.store)
            self._collection.delete(ids=[lease["id"] for lease in stale])
        return live

    def _is_stale(self, lease: dict) -> bool:
        if float(lease.get("expires_at", 0)) < time.time():
            return True
        return lease.get("host") == self.host and not _process_alive(int(lease.get("pid", 0)))

    def _write(self) -> None:
        record = {
            "holder": f"{self.host} (pid {self.pid})",
            "host": self.host,
            "pid": self.pid,
            "started_at": self.started_at,
            "expires_at": time.time() + self.expiry,
        }
        self._collection.upsert(
            ids=[self.id], embeddings=[[1.0]], documents=[json.dumps(record)], metadatas=[{"kind": "lease"}]
        )

    def _delete(self) -> None:
        self._collection.delete(ids=[self.id])

    def _refuse_if_held(self, leases: list[dict], *, racing: bool = False) -> None:
        held = [lease for lease in leases if lease["id"] != self.id]
        if not held:
            return
        first = min(held, key=lambda lease: lease.get("started_at", ""))
        when = "started at the same moment" if racing else f"since {first.get('started_at', '?')}"
        raise LeaseHeld(
            f"another ingest is writing store '{self.store}' ({first.get('holder', '?')}, {when}); wait for it "
            f"to finish and run this one again — a lease whose ingest died expires after {self.expiry:g} s"
        )

    def _renew(self) -> None:
        """Renew every expiry/4 seconds; notice when another ingester deleted our lease as stale."""
        while not self._stop.wait(self.expiry / 4):
            try:
                if not self._collection.get(ids=[self.id], include=[])["ids"]:
                    self.lost = True
                    log.error("the ingest lease of store '%s' was taken over", self.store)
                    return
                self._write()
            except StoreError as exc:  # the main thread meets the same failure and reports it
                log.info("could not renew the ingest lease: %s", exc)


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
