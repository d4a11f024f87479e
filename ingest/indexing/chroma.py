"""Opening Chroma: the embedded database in a data directory, or one store's namespace on a Chroma server.

    chroma = Chroma(folder=data_dir / "chroma")                                 # embedded
    chroma = Chroma(server=ServerOptions("http://127.0.0.1:8000", "team-norr"))  # a server
    chunks = chroma.collection("regionkunskap", create=True)

On a server every store owns a Chroma *database* named `rk-<namespace>`: its collections live there and a
client opened for one store cannot address another's, so no clean-up can reach another store's data.

chromadb's HTTP client waits forever by default; here every call toward a server has a connect and a read
timeout, and every failure of the server (down, frozen, gone mid-call) comes out as one `ServerUnavailable`
naming the URL and the fix. After such a failure the connection is marked down, so best-effort clean-up
(releasing a lease) does not wait out another timeout.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from regionkunskap.errors import ServerUnavailable, StoreError

log = logging.getLogger(__name__)

DATABASE_PREFIX = "rk-"
T = TypeVar("T")


@dataclass(frozen=True)
class ServerOptions:
    """Where a store lives on a Chroma server, and how long to wait for it."""

    url: str
    namespace: str
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

    @property
    def database(self) -> str:
        return f"{DATABASE_PREFIX}{self.namespace}"

    @property
    def port(self) -> int:
        url = urlparse(self.url)
        return url.port or (443 if url.scheme == "https" else 8000)


class Connection:
    """Turns failures of one Chroma into StoreErrors, and remembers a server that stopped answering."""

    def __init__(self, location: str, server: ServerOptions | None):
        self.location = location
        self.server = server
        self.down = False

    @contextmanager
    def guard(self, doing: str) -> Iterator[None]:
        """Run a Chroma call; any failure becomes one StoreError saying what was being done."""
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:  # chromadb and httpx raise many types; all mean the same to a user
            raise self.error(exc, doing) from exc

    def error(self, exc: Exception, doing: str) -> StoreError:
        import httpx

        if self.server is None:
            return StoreError(f"{self.location}: {doing} failed ({type(exc).__name__}: {_first_line(exc)})")
        s = self.server
        if isinstance(exc, httpx.TimeoutException) or isinstance(exc, TimeoutError):
            self.down = True
            waited = s.connect_timeout if isinstance(exc, httpx.ConnectTimeout) else s.read_timeout
            setting = "CHROMA_CONNECT_TIMEOUT" if isinstance(exc, httpx.ConnectTimeout) else "CHROMA_READ_TIMEOUT"
            return ServerUnavailable(
                f"the Chroma server at {s.url} did not answer within {waited:g} s while {doing} "
                f"(REGIONKUNSKAP_{setting}); check that it is running and not overloaded, then try again"
            )
        if isinstance(exc, (httpx.TransportError, ConnectionError)) or "could not connect" in str(exc).lower():
            self.down = True
            return ServerUnavailable(
                f"cannot reach the Chroma server at {s.url} while {doing} ({type(exc).__name__}); start it with "
                f"`chroma run --path DIR --port {s.port}`, or unset REGIONKUNSKAP_CHROMA_URL to use the embedded store"
            )
        return StoreError(f"the Chroma server at {s.url}: {doing} failed ({type(exc).__name__}: {_first_line(exc)})")


class GuardedCollection:
    """A Chroma collection whose every call goes through `Connection.guard` (what llama-index gets, too)."""

    def __init__(self, collection: Any, connection: Connection):
        self._collection = collection
        self._connection = connection

    @property
    def name(self) -> str:
        return self._collection.name

    @property
    def metadata(self) -> dict:
        return self._collection.metadata or {}

    def __getattr__(self, method: str) -> Callable:
        if method not in ("get", "upsert", "add", "delete", "count", "query", "modify", "peek"):
            raise AttributeError(method)
        call = getattr(self._collection, method)

        def guarded(*args, **kwargs):
            with self._connection.guard(f"calling {method} on collection '{self.name}'"):
                return call(*args, **kwargs)

        return guarded


class Chroma:
    """One open Chroma: an embedded database folder, or one namespace (database) on a server."""

    def __init__(self, *, folder: Path | None = None, server: ServerOptions | None = None):
        if (folder is None) == (server is None):
            raise ValueError("Chroma needs exactly one of folder= or server=")
        self.folder = folder
        self.server = server
        self.location = server.url if server else str(folder)
        self.connection = Connection(self.location, server)
        self._client = None
        self._admin_client = None
        self._lock = threading.Lock()

    @property
    def _folder(self) -> Path:
        assert self.folder is not None, "an embedded Chroma has a folder"
        return self.folder

    @property
    def _server(self) -> ServerOptions:
        assert self.server is not None, "a Chroma server has options"
        return self.server

    # --- the client --------------------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether the database exists (reading must not create an empty one)."""
        if self.server is None:
            return self._folder.exists()
        return self._client is not None or self.server.database in self._databases()

    def client(self, *, create: bool = False):
        """The chromadb client, opened on first use; None if the database is missing and not `create`."""
        with self._lock:
            if self._client is None:
                if self.server is None:
                    self._client = self._open_embedded(create)
                else:
                    self._client = self._open_server(create)
            return self._client

    def reopen(self) -> None:
        """Forget the open client, so the next call sees what other processes wrote (embedded Chroma keeps its
        vector index in memory: a long-running reader must reopen to see another process's vectors)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception:  # closing is best effort; the next open starts clean either way
                log.debug("closing the Chroma client failed", exc_info=True)

    def _open_embedded(self, create: bool):
        import chromadb

        if not create and not self._folder.exists():
            return None
        self._folder.parent.mkdir(parents=True, exist_ok=True)
        with self.connection.guard("opening the embedded database"):
            return chromadb.PersistentClient(path=str(self._folder), settings=_chroma_settings())

    def _open_server(self, create: bool):
        import chromadb

        s = self._server
        self._heartbeat()
        databases = self._databases()
        if s.database not in databases:
            if not create:
                return None
            with self.connection.guard(f"creating the namespace '{s.namespace}'"):
                try:
                    self._admin().create_database(s.database)
                except Exception as exc:  # another ingester created it a moment ago: fine
                    if "exist" not in str(exc).lower():
                        raise
        url = urlparse(s.url)
        open_client = lambda: chromadb.HttpClient(  # noqa: E731
            host=url.hostname or "127.0.0.1",
            port=s.port,
            ssl=url.scheme == "https",
            settings=_chroma_settings(),
            database=s.database,
        )
        with self.connection.guard("opening the store"):
            client = _within(s.connect_timeout + 2 * s.read_timeout, open_client)
        _set_timeouts(client, s)
        return client

    def _admin(self):
        """A Chroma admin client (databases), built once, with the timeouts set."""
        import chromadb

        if self._admin_client is None:
            s = self._server
            url = urlparse(s.url)
            admin = chromadb.AdminClient(
                _chroma_settings(
                    chroma_api_impl="chromadb.api.fastapi.FastAPI",
                    chroma_server_host=url.hostname or "127.0.0.1",
                    chroma_server_http_port=s.port,
                    chroma_server_ssl_enabled=url.scheme == "https",
                )
            )
            _set_timeouts(admin, s)
            self._admin_client = admin
        return self._admin_client

    def _databases(self) -> list[str]:
        with self.connection.guard("listing the stores"):
            return [d["name"] for d in self._admin().list_databases()]

    def drop(self) -> None:
        """Delete this store's namespace on the server with everything in it (a server store only)."""
        if self.server is None:
            raise ValueError("only a store on a server has a namespace to drop")
        self.reopen()
        with self.connection.guard(f"deleting the namespace '{self.server.namespace}'"):
            self._admin().delete_database(self.server.database)

    def namespaces(self) -> list[str]:
        """The names of the stores on the server (empty in embedded mode)."""
        if self.server is None:
            return []
        return sorted(n[len(DATABASE_PREFIX) :] for n in self._databases() if n.startswith(DATABASE_PREFIX))

    def _heartbeat(self) -> None:
        """A first call with the timeouts, so a down or frozen server fails fast and clearly."""
        import httpx

        s = self._server
        timeout = httpx.Timeout(s.read_timeout, connect=s.connect_timeout)
        with self.connection.guard("checking that it answers"):
            httpx.get(f"{s.url}/api/v2/heartbeat", timeout=timeout).raise_for_status()

    # --- collections ---------------------------------------------------------------------------------
    def collection(self, name: str, *, create: bool = False, metadata: dict | None = None) -> GuardedCollection | None:
        """The named collection, or None if it (or the database) does not exist and `create` is False."""
        client = self.client(create=create)
        if client is None:
            return None
        # embedding_function=None everywhere: Chroma's default would download an English model.
        with self.connection.guard(f"opening collection '{name}'"):
            try:
                if create:
                    col = client.get_or_create_collection(
                        name,
                        embedding_function=None,
                        metadata=metadata,
                        configuration={"hnsw": {"space": "cosine"}},
                    )
                else:
                    col = client.get_collection(name, embedding_function=None)
            except Exception as exc:
                if not create and ("does not exist" in str(exc).lower() or type(exc).__name__ == "NotFoundError"):
                    return None
                raise
        return GuardedCollection(col, self.connection)


def _chroma_settings(**kwargs):
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, **kwargs)


def _set_timeouts(client, server: ServerOptions) -> None:
    """chromadb builds its httpx session with timeout=None; give every later call the store's timeouts."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if session is None:  # a chromadb without the attribute: the first call's heartbeat still bounds start-up
        log.warning("cannot set timeouts on this chromadb version's HTTP client")
        return
    session.timeout = httpx.Timeout(server.read_timeout, connect=server.connect_timeout)


def _within(seconds: float, fn: Callable[[], T]) -> T:
    """Run `fn` in a helper thread and give up after `seconds` (chromadb's client makes untimed calls while
    it is being built); the helper is a daemon thread, so a process never waits for it at exit."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            result["error"] = exc

    worker = threading.Thread(target=run, name="chroma-connect", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"no answer within {seconds:g} s")
    if "error" in result:
        raise result["error"]
    return result["value"]


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]
