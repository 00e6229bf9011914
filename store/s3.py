"""The `Storage` interface over an S3 endpoint (MinIO in production) with the minio SDK.

Originals go to their own bucket and are immutable: content-addressed by sha256, so a second
`put` of the same key is a no-op (checked with a HEAD first), never an overwrite. Derived
artefacts (page renders, cached results) go to the derived bucket. S3 puts are atomic: a killed
writer leaves no partial object. Transient faults (connection refused or dropped, timeouts, 5xx,
SlowDown) are retried a few times with a short backoff; then a `StorageError` with a one-line
reason. Credentials never appear in errors or logs."""

from __future__ import annotations

import io
import logging
import mimetypes
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlsplit

import certifi
import urllib3
from minio import Minio
from minio.datatypes import Object
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError

from core.errors import reason
from core.settings import StorageSettings
from store.objects import ORIGINALS, StorageError, StoredObject, _check_key

log = logging.getLogger(__name__)

T = TypeVar("T")

MISSING_CODES = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound"})
TRANSIENT_CODES = frozenset(
    {"SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeTooSkewed"}
)
# Buckets already checked or created in this process (one HEAD per bucket per worker).
_ready_buckets: set[tuple[str, str]] = set()


def _metadata_header(name: str) -> str:
    """`registratie_id` -> `registratie-id` (sent as `x-amz-meta-registratie-id`): proxies
    drop header names with underscores."""
    return name.strip().lower().replace("_", "-")


def _transport_reason(exc: BaseException) -> str:
    """A one-line, credential-free reason for a transport fault: urllib3's wrappers unwrapped,
    a refused connection without the connection object's repr, a timeout as such."""
    inner: BaseException = exc
    while isinstance(inner, urllib3.exceptions.MaxRetryError) and inner.reason is not None:
        inner = inner.reason
    if isinstance(inner, urllib3.exceptions.NewConnectionError):
        return str(inner).split(": ", 1)[-1]  # drop the connection object's repr
    if isinstance(inner, TimeoutError | urllib3.exceptions.TimeoutError):
        return "timed out"
    return reason(inner)


class S3Storage:
    """Object storage on an S3 endpoint; buckets are created when missing."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket_originals: str = "bewijscheck-originals",
        bucket_derived: str = "bewijscheck-derived",
        secure: bool | None = None,
        region: str | None = None,
        *,
        attempts: int = 3,
        backoff_s: float = 0.25,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 60.0,
    ) -> None:
        parts = urlsplit(endpoint if "://" in endpoint else f"//{endpoint}")
        if not parts.netloc or parts.path not in ("", "/"):
            raise StorageError(f"invalid S3 endpoint {endpoint!r}: expected URL or host:port")
        self.secure = secure if secure is not None else parts.scheme != "http"
        self.endpoint = f"{'https' if self.secure else 'http'}://{parts.netloc}"
        self.bucket_originals = bucket_originals
        self.bucket_derived = bucket_derived
        self.attempts = max(1, attempts)
        self.backoff_s = backoff_s
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout_s, read=read_timeout_s),
            maxsize=10,
            cert_reqs="CERT_REQUIRED",
            ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
            retries=False,  # retried here, with our own backoff and error
        )
        self._client = Minio(
            parts.netloc,
            access_key=access_key,
            secret_key=secret_key,
            secure=self.secure,
            region=region,
            http_client=http,
        )
        self._region = region
        for bucket in (bucket_originals, bucket_derived):
            self._ensure_bucket(bucket)

    @classmethod
    def from_settings(cls, settings: StorageSettings) -> S3Storage:
        if not settings.endpoint:
            raise StorageError("BEWIJSCHECK_STORAGE=s3 needs BEWIJSCHECK_S3_ENDPOINT")
        return cls(
            settings.endpoint,
            settings.access_key.get_secret_value(),
            settings.secret_key.get_secret_value(),
            bucket_originals=settings.bucket_originals,
            bucket_derived=settings.bucket_derived,
            secure=settings.secure,
            region=settings.region,
            attempts=settings.attempts,
            backoff_s=settings.backoff_s,
        )

    # -- the Storage interface --
    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> str:
        bucket = self._bucket(key)
        if bucket == self.bucket_originals and self.exists(key):
            return key  # immutable: never overwrite an original
        meta = {_metadata_header(k): v for k, v in (metadata or {}).items()}
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        self._call(
            f"store {key}",
            lambda: self._client.put_object(
                bucket,
                key,
                io.BytesIO(data),
                len(data),
                content_type=content_type,
                metadata=meta or None,  # type: ignore[arg-type]
            ),
        )
        return key

    def get(self, key: str) -> bytes:
        bucket = self._bucket(key)

        def read() -> bytes:
            response = self._client.get_object(bucket, key)
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

        return self._call(f"read {key}", read, key=key)

    def exists(self, key: str) -> bool:
        try:
            self._stat(key)
        except FileNotFoundError:
            return False
        return True

    def metadata(self, key: str) -> dict[str, str]:
        """The object's user metadata, names without the `x-amz-meta-` prefix."""
        stat = self._stat(key)
        prefix = "x-amz-meta-"
        headers = stat.metadata or {}
        return {
            k.lower().removeprefix(prefix): str(v)
            for k, v in headers.items()
            if k.lower().startswith(prefix)
        }

    # -- another bucket, by name (the incoming bucket of `pipeline.bucket_intake`) --
    def ensure_bucket(self, bucket: str) -> None:
        """Create `bucket` when it does not exist yet."""
        self._ensure_bucket(bucket)

    def list_objects(self, bucket: str) -> list[Object]:
        """Every object in `bucket` (name, etag, size, last_modified), in key order."""
        return self._call(
            f"list {bucket}",
            lambda: [
                o
                for o in self._client.list_objects(bucket, recursive=True)
                if o.object_name and not o.is_dir
            ],
        )

    def read_object(self, bucket: str, key: str) -> tuple[bytes, str]:
        """The object's bytes and the ETag of the version that was read (without quotes)."""

        def read() -> tuple[bytes, str]:
            response = self._client.get_object(bucket, key)
            try:
                return bytes(response.read()), str(response.headers.get("ETag", "")).strip('"')
            finally:
                response.close()
                response.release_conn()

        return self._call(f"read {key} from {bucket}", read, key=key)

    def object_etag(self, bucket: str, key: str) -> str | None:
        """The ETag of the object's current version; None when it does not exist."""
        try:
            stat = self._call(
                f"look up {key} in {bucket}",
                lambda: self._client.stat_object(bucket, key),
                key=key,
            )
        except FileNotFoundError:
            return None
        return (stat.etag or "").strip('"')

    def delete_object(self, bucket: str, key: str) -> None:
        """Remove the object (no error when it is gone already)."""
        self._call(
            f"delete {key} from {bucket}", lambda: self._client.remove_object(bucket, key), key=key
        )

    # -- retention (`store.retention`) --
    def list_stored(self, prefix: str) -> list[StoredObject]:
        """Every object whose key starts with `prefix` (e.g. `originals/`) in the bucket that
        holds such keys, in key order, with its last-modified time."""
        bucket = self.bucket_originals if prefix.startswith(ORIGINALS) else self.bucket_derived
        return [
            StoredObject(o.object_name, o.size or 0, o.last_modified or datetime.now(UTC))
            for o in self.list_objects(bucket)
            if o.object_name and o.object_name.startswith(prefix)
        ]

    def delete(self, key: str) -> None:
        """Remove the object (no error when it is gone already)."""
        self.delete_object(self._bucket(key), key)

    # -- helpers --
    def _bucket(self, key: str) -> str:
        _check_key(key)
        return self.bucket_originals if key.startswith(ORIGINALS) else self.bucket_derived

    def _stat(self, key: str) -> Object:
        bucket = self._bucket(key)
        return self._call(f"look up {key}", lambda: self._client.stat_object(bucket, key), key=key)

    def _ensure_bucket(self, bucket: str) -> None:
        if (self.endpoint, bucket) in _ready_buckets:
            return

        def ensure() -> None:
            if self._client.bucket_exists(bucket):
                return
            try:
                self._client.make_bucket(bucket, location=self._region)
                log.info("created bucket %s on %s", bucket, self.endpoint)
            except S3Error as exc:
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

        self._call(f"open bucket {bucket}", ensure)
        _ready_buckets.add((self.endpoint, bucket))

    def _call(self, what: str, operation: Callable[[], T], key: str | None = None) -> T:
        """Run `operation`, retrying transient faults; missing objects raise
        FileNotFoundError, everything else StorageError with a one-line reason."""
        reason = ""
        for attempt in range(1, self.attempts + 1):
            try:
                return operation()
            except S3Error as exc:
                if exc.code in MISSING_CODES and key is not None:
                    raise FileNotFoundError(key) from None
                if exc.code not in TRANSIENT_CODES:
                    raise StorageError(
                        f"object store {self.endpoint} refused to {what}: {exc.code}"
                    ) from None
                reason = str(exc.code)
            except ServerError as exc:
                reason = f"HTTP {exc.status_code}"
            except InvalidResponseError:
                reason = "invalid response (is this an S3 endpoint?)"
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                reason = _transport_reason(exc)
            except MinioException as exc:
                raise StorageError(
                    f"object store {self.endpoint} failed to {what}: {type(exc).__name__}"
                ) from None
            if attempt < self.attempts:
                delay = self.backoff_s * 2 ** (attempt - 1)
                log.warning(
                    "object store %s: %s failed (%s); retry %d in %.2f s",
                    self.endpoint,
                    what,
                    reason,
                    attempt,
                    delay,
                )
                time.sleep(delay)
        raise StorageError(
            f"object store {self.endpoint} unavailable: {what} failed after "
            f"{self.attempts} attempts ({reason})"
        )
