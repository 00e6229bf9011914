"""Settings, as frozen pydantic models built once and passed in; components never read the
environment themselves. `Settings.from_env()` is the one place that does."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class Limits(BaseModel):
    """What a single upload may cost at most."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(default=25 * 1024 * 1024, gt=0, description="file size")
    max_pages: int = Field(default=50, gt=0, description="pages per PDF")
    max_megapixels: float = Field(
        default=100.0, gt=0, description="pixels per image (decompression bombs)"
    )
    max_page_inches: float = Field(
        default=50.0, gt=0, description="longest side of a PDF page; larger is refused"
    )


class OcrSettings(BaseModel):
    """How pages without a usable text layer are read."""

    model_config = ConfigDict(frozen=True)

    languages: str = Field(default="nld+eng", description="tesseract -l")
    dpi: int = Field(default=300, ge=72, le=600, description="render resolution for OCR")
    min_text_layer_chars: int = Field(
        default=20, ge=0, description="fewer letters/digits than this: the page is OCR'd"
    )
    page_timeout_s: float = Field(default=120.0, gt=0, description="tesseract time per page")


class StorageKind(StrEnum):
    LOCAL = "local"
    S3 = "s3"


class StorageSettings(BaseModel):
    """Where originals and derived artefacts live: a local folder (`data_dir/storage`) or an
    S3 endpoint such as MinIO. Plain values only, so settings can be pickled into workers."""

    model_config = ConfigDict(frozen=True)

    kind: StorageKind = Field(default=StorageKind.LOCAL, description="local or s3")
    endpoint: str | None = Field(
        default=None, description="S3 URL, e.g. https://minio.example.nl:9000 (or host:port)"
    )
    access_key: SecretStr = Field(default=SecretStr(""), description="S3 access key")
    secret_key: SecretStr = Field(default=SecretStr(""), description="S3 secret key")
    secure: bool | None = Field(
        default=None, description="HTTPS; None: from the endpoint's scheme (default https)"
    )
    region: str | None = Field(default=None, description="S3 region (MinIO: usually unset)")
    bucket_originals: str = Field(default="bewijscheck-originals", min_length=3)
    bucket_derived: str = Field(default="bewijscheck-derived", min_length=3)
    bucket_incoming: str = Field(
        default="bewijscheck-incoming",
        min_length=3,
        description="uploads waiting to be pre-screened (`bewijscheck intake`)",
    )
    attempts: int = Field(default=3, ge=1, description="tries per operation on a transient fault")
    backoff_s: float = Field(
        default=0.25, ge=0, description="wait before the first retry; doubles with each retry"
    )


class TaskSettings(BaseModel):
    """How the batch runs its documents in Prefect tasks (`flows.batch`, `pipeline.guard`)."""

    model_config = ConfigDict(frozen=True)

    retries: int = Field(default=2, ge=0, description="more tries of a document that failed")
    retry_delay_s: float = Field(default=2.0, ge=0, description="wait before a try again")
    timeout_s: float | None = Field(
        default=None,
        gt=0,
        description="wall time of one try of a document; None: the OCR page timeout "
        "times the page limit, plus a minute",
    )
    documents_per_task: int = Field(
        default=4,
        ge=1,
        description="scanned documents (OCR'd pages) one Prefect task checks, one after "
        "another; a small born-digital PDF counts as a tenth (`pipeline.workload`), and 1 "
        "gives every document a task of its own: Prefect's bookkeeping cost ~0.1 s per task "
        "here, as much as a born-digital document",
    )
    concurrency_tag: bool = Field(
        default=False,
        description="tag every document task `bewijscheck-document`, so that a Prefect tag "
        "concurrency limit caps the documents in flight; off by default: with the tag Prefect "
        "asks the server for a slot before every task, which cost ~0.5 s per document here",
    )


class IntakeSettings(BaseModel):
    """Intake by bucket (`pipeline.bucket_intake`): how long a poller may hold an object
    before another may take it over, and how often an object is tried before it fails."""

    model_config = ConfigDict(frozen=True)

    lease_s: float = Field(
        default=900.0, gt=0, description="a claim older than this is taken to be abandoned"
    )
    max_attempts: int = Field(default=3, ge=1, description="tries per object, then failed")


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


class Settings(BaseModel):
    """Everything a run needs to know, passed explicitly to the stages."""

    model_config = ConfigDict(frozen=True)

    limits: Limits = Field(default_factory=Limits)
    ocr: OcrSettings = Field(default_factory=OcrSettings)
    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)
    data_dir: Path = Field(default=Path(".bewijscheck"), description="local storage and SQLite")
    storage: StorageSettings = Field(default_factory=StorageSettings)
    task: TaskSettings = Field(default_factory=TaskSettings)
    intake: IntakeSettings = Field(default_factory=IntakeSettings)
    cache: bool = Field(
        default=True, description="reuse a document's stored result when nothing changed"
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="results store (SQLAlchemy URL; may hold a password, never logged); "
        "None: SQLite in data_dir",
    )
    dask_address: str | None = Field(
        default=None,
        description="Dask scheduler (e.g. tcp://10.0.0.5:8786) to run the batch's document "
        "tasks on; None: local worker processes",
    )
    web_secret: SecretStr | None = Field(
        default=None,
        description="signs the reviewer web app's session cookies (never logged); None: a "
        "random secret per process, so sessions end when the server restarts",
    )
    retention_days: int = Field(
        default=365,
        ge=1,
        description="originals older than this many days are deleted by `purge-originals` "
        "(renders, blacked out, and review data stay)",
    )

    def database_dsn(self) -> str:
        """The results store's URL: `database_url`, else `sqlite:///<data_dir>/bewijscheck.db`."""
        if self.database_url is not None and self.database_url.get_secret_value():
            return self.database_url.get_secret_value()
        return f"sqlite:///{self.data_dir / 'bewijscheck.db'}"

    def document_timeout_s(self) -> float:
        """How long one try of a document task may take: `task.timeout_s`, else enough for
        every page of the largest document allowed to reach its OCR timeout, plus a minute."""
        if self.task.timeout_s is not None:
            return self.task.timeout_s
        return self.ocr.page_timeout_s * self.limits.max_pages + 60.0

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from `BEWIJSCHECK_*` environment variables, defaults otherwise."""
        env = os.environ
        limits = Limits(
            max_bytes=int(env.get("BEWIJSCHECK_MAX_BYTES", Limits().max_bytes)),
            max_pages=int(env.get("BEWIJSCHECK_MAX_PAGES", Limits().max_pages)),
            max_megapixels=float(env.get("BEWIJSCHECK_MAX_MEGAPIXELS", Limits().max_megapixels)),
        )
        ocr = OcrSettings(
            languages=env.get("BEWIJSCHECK_OCR_LANGUAGES", OcrSettings().languages),
            dpi=int(env.get("BEWIJSCHECK_OCR_DPI", OcrSettings().dpi)),
            page_timeout_s=float(
                env.get("BEWIJSCHECK_OCR_PAGE_TIMEOUT_S", OcrSettings().page_timeout_s)
            ),
        )
        workers = int(env.get("BEWIJSCHECK_WORKERS", max(1, os.cpu_count() or 1)))
        data_dir = Path(env.get("BEWIJSCHECK_DATA_DIR", ".bewijscheck"))
        default = StorageSettings()
        secure = env.get("BEWIJSCHECK_S3_SECURE")
        storage = StorageSettings(
            kind=StorageKind(env.get("BEWIJSCHECK_STORAGE", StorageKind.LOCAL).strip().lower()),
            endpoint=env.get("BEWIJSCHECK_S3_ENDPOINT") or None,
            access_key=SecretStr(env.get("BEWIJSCHECK_S3_ACCESS_KEY", "")),
            secret_key=SecretStr(env.get("BEWIJSCHECK_S3_SECRET_KEY", "")),
            secure=None if secure is None else _flag(secure),
            region=env.get("BEWIJSCHECK_S3_REGION") or None,
            bucket_originals=env.get("BEWIJSCHECK_S3_BUCKET_ORIGINALS", default.bucket_originals),
            bucket_derived=env.get("BEWIJSCHECK_S3_BUCKET_DERIVED", default.bucket_derived),
            bucket_incoming=env.get("BEWIJSCHECK_S3_BUCKET_INCOMING", default.bucket_incoming),
            attempts=int(env.get("BEWIJSCHECK_S3_ATTEMPTS", default.attempts)),
            backoff_s=float(env.get("BEWIJSCHECK_S3_BACKOFF_S", default.backoff_s)),
        )
        timeout = env.get("BEWIJSCHECK_DOCUMENT_TIMEOUT_S", "").strip()
        task = TaskSettings(
            retries=int(env.get("BEWIJSCHECK_TASK_RETRIES", TaskSettings().retries)),
            retry_delay_s=float(
                env.get("BEWIJSCHECK_TASK_RETRY_DELAY_S", TaskSettings().retry_delay_s)
            ),
            timeout_s=float(timeout) if timeout else None,
            concurrency_tag=_flag(env.get("BEWIJSCHECK_TASK_CONCURRENCY_TAG", "0")),
            documents_per_task=int(
                env.get("BEWIJSCHECK_DOCUMENTS_PER_TASK", TaskSettings().documents_per_task)
            ),
        )
        intake = IntakeSettings(
            lease_s=float(env.get("BEWIJSCHECK_INTAKE_LEASE_SECONDS", IntakeSettings().lease_s)),
            max_attempts=int(
                env.get("BEWIJSCHECK_INTAKE_MAX_ATTEMPTS", IntakeSettings().max_attempts)
            ),
        )
        cache = _flag(env.get("BEWIJSCHECK_CACHE", "1"))
        database_url = env.get("BEWIJSCHECK_DATABASE_URL") or None
        dask_address = env.get("BEWIJSCHECK_DASK_ADDRESS", "").strip() or None
        web_secret = env.get("BEWIJSCHECK_WEB_SECRET", "").strip() or None
        retention_days = int(env.get("BEWIJSCHECK_RETENTION_DAYS", "").strip() or 365)
        return cls(
            limits=limits,
            ocr=ocr,
            workers=workers,
            data_dir=data_dir,
            storage=storage,
            task=task,
            intake=intake,
            cache=cache,
            database_url=SecretStr(database_url) if database_url else None,
            dask_address=dask_address,
            web_secret=SecretStr(web_secret) if web_secret else None,
            retention_days=retention_days,
        )
