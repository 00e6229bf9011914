"""Settings, as frozen pydantic models built once and passed in; components never read the
environment themselves. `Settings.from_env()` is the one place that does (`core.settings_env`,
with pydantic-settings): every setting is `BEWIJSCHECK_<FIELD>` or
`BEWIJSCHECK_<SECTION>__<FIELD>` (e.g. `BEWIJSCHECK_LIMITS__MAX_PAGE_INCHES`), and the names
documented before the settings were nested (`BEWIJSCHECK_MAX_BYTES`, ...) keep working.
`Settings(...)` made in code never reads the environment."""

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
    max_inflated_mb: float = Field(
        default=64.0,
        gt=0,
        description="what one compressed PDF stream other than an image may inflate to "
        "(Flate bombs in content, forms, fonts)",
    )


class OcrEngine(StrEnum):
    """How tesseract runs (`reading.ocr`): `auto` in this process through tesserocr when it
    links the same Tesseract as the `tesseract` command, else the command; `cli` always the
    command (a crash of the engine then cannot take the worker process down)."""

    AUTO = "auto"
    CLI = "cli"


class OcrSettings(BaseModel):
    """How pages without a usable text layer are read."""

    model_config = ConfigDict(frozen=True)

    languages: str = Field(default="nld+eng", description="tesseract -l")
    dpi: int = Field(default=300, ge=72, le=600, description="render resolution for OCR")
    min_text_layer_chars: int = Field(
        default=20, ge=0, description="fewer letters/digits than this: the page is OCR'd"
    )
    page_timeout_s: float = Field(default=120.0, gt=0, description="tesseract time per page")
    engine: OcrEngine = Field(
        default=OcrEngine.AUTO,
        description="auto or cli; applied per process by `pipeline.bootstrap.init_process`",
    )


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


class LoginSettings(BaseModel):
    """Logins to the reviewer web app (`web.auth`, `web.throttle`): how long a session lasts,
    when failed logins make further attempts wait, and how many password checks (argon2id,
    64 MiB of memory each) one server process runs at once."""

    model_config = ConfigDict(frozen=True)

    session_hours: float = Field(
        default=10.0, gt=0, description="a login ends this long after it began, used or not"
    )
    idle_minutes: float = Field(
        default=60.0, gt=0, description="a login ends after this long without a request"
    )
    max_failures: int = Field(
        default=5, ge=1, description="failed logins of one user name in the window, then wait"
    )
    max_failures_per_address: int = Field(
        default=20, ge=1, description="failed logins from one client address in the window"
    )
    window_minutes: float = Field(
        default=15.0, gt=0, description="failed logins older than this no longer count"
    )
    lockout_s: float = Field(
        default=30.0,
        gt=0,
        description="the wait after the last allowed failure; doubles with every failure "
        "after it, at most the window",
    )
    password_checks: int = Field(
        default=2, ge=1, description="password checks at once in one server process"
    )
    password_wait_s: float = Field(
        default=2.0, ge=0, description="how long a login waits for a free check, then 503"
    )


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
    login: LoginSettings = Field(default_factory=LoginSettings)
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
        """Settings from the `BEWIJSCHECK_*` environment variables, defaults otherwise. Raises
        `ConfigError` naming the variable when a value does not fit its setting."""
        from core.settings_env import settings_from_env

        return settings_from_env()
