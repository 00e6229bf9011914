"""Settings from the environment (`core.settings_env`, pydantic-settings): every setting is
reachable by its nested name, the names documented before keep their meaning and parsing, a
bad value is a `ConfigError` naming the variable, and `Settings(...)` made in code never looks
at the environment."""

from __future__ import annotations

import os
import pickle
import types
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from core.errors import ConfigError, ExitCode
from core.settings import (
    IntakeSettings,
    Limits,
    OcrEngine,
    OcrSettings,
    Settings,
    StorageKind,
    TaskSettings,
)
from core.settings_env import LEGACY, env_name, env_names, leaves


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No BEWIJSCHECK_* variable of the machine or another test leaks in."""
    for name in list(os.environ):
        if name.upper().startswith("BEWIJSCHECK_"):
            monkeypatch.delenv(name)


def _field(path: tuple[str, ...]) -> Any:
    model: type[BaseModel] = Settings
    for name in path[:-1]:
        model = model.model_fields[name].annotation  # type: ignore[assignment]
    return model.model_fields[path[-1]]


def _value_of(settings: Settings, path: tuple[str, ...]) -> Any:
    value: Any = settings
    for name in path:
        value = getattr(value, name)
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def _other_value(path: tuple[str, ...]) -> tuple[str, Any]:
    """A valid value unlike the default, as the environment would hold it and as expected."""
    field = _field(path)
    annotation = field.annotation
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    default = field.get_default(call_default_factory=True)
    if isinstance(default, SecretStr):
        default = default.get_secret_value()
    if annotation is bool:
        return ("false", False) if default else ("true", True)
    if annotation is int:
        return str((default or 1) + 1), (default or 1) + 1
    if annotation is float:
        return str((default or 1.0) + 0.5), (default or 1.0) + 0.5
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        other = next(member for member in annotation if member != default)
        return other.value, other
    if annotation is Path:
        return "/srv/bewijscheck-test", Path("/srv/bewijscheck-test")
    assert annotation in (str, SecretStr), f"no test value for {path}: {annotation}"
    return "waarde-uit-env", "waarde-uit-env"


def test_the_walk_finds_every_setting_including_the_ones_from_env_missed_before() -> None:
    paths = list(leaves())
    assert ("limits", "max_page_inches") in paths and ("ocr", "min_text_layer_chars") in paths
    assert ("ocr", "engine") in paths and ("workers",) in paths
    assert len(paths) == len(set(paths)) > 30


@pytest.mark.parametrize("path", list(leaves()), ids=lambda p: env_name(p))
def test_every_setting_is_reachable_by_its_nested_name(
    monkeypatch: pytest.MonkeyPatch, path: tuple[str, ...]
) -> None:
    raw, expected = _other_value(path)
    assert _value_of(Settings(), path) != expected  # the test sets something new
    monkeypatch.setenv(env_name(path), raw)
    assert _value_of(Settings.from_env(), path) == expected


def test_nested_names_are_read_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("bewijscheck_ocr__min_text_layer_chars", "7")
    assert Settings.from_env().ocr.min_text_layer_chars == 7


LEGACY_CASES = [  # name, raw value, setting, expected: the parsing of the old from_env
    ("BEWIJSCHECK_MAX_BYTES", "1000", ("limits", "max_bytes"), 1000),
    ("BEWIJSCHECK_MAX_PAGES", " 7 ", ("limits", "max_pages"), 7),
    ("BEWIJSCHECK_MAX_MEGAPIXELS", "12.5", ("limits", "max_megapixels"), 12.5),
    ("BEWIJSCHECK_OCR_LANGUAGES", "nld", ("ocr", "languages"), "nld"),
    ("BEWIJSCHECK_OCR_DPI", "200", ("ocr", "dpi"), 200),
    ("BEWIJSCHECK_OCR_PAGE_TIMEOUT_S", "30", ("ocr", "page_timeout_s"), 30.0),
    ("BEWIJSCHECK_OCR_ENGINE", " CLI ", ("ocr", "engine"), OcrEngine.CLI),
    ("BEWIJSCHECK_OCR_ENGINE", "", ("ocr", "engine"), OcrEngine.AUTO),
    ("BEWIJSCHECK_STORAGE", " S3 ", ("storage", "kind"), StorageKind.S3),
    ("BEWIJSCHECK_S3_ENDPOINT", "", ("storage", "endpoint"), None),
    ("BEWIJSCHECK_S3_ENDPOINT", "minio:9000", ("storage", "endpoint"), "minio:9000"),
    ("BEWIJSCHECK_S3_ACCESS_KEY", "sleutel", ("storage", "access_key"), "sleutel"),
    ("BEWIJSCHECK_S3_SECRET_KEY", "geheim", ("storage", "secret_key"), "geheim"),
    ("BEWIJSCHECK_S3_SECURE", "on", ("storage", "secure"), True),
    ("BEWIJSCHECK_S3_SECURE", "", ("storage", "secure"), False),  # set but not a yes
    ("BEWIJSCHECK_S3_SECURE", "nee", ("storage", "secure"), False),
    ("BEWIJSCHECK_S3_REGION", "", ("storage", "region"), None),
    ("BEWIJSCHECK_S3_BUCKET_ORIGINALS", "orig", ("storage", "bucket_originals"), "orig"),
    ("BEWIJSCHECK_S3_BUCKET_DERIVED", "derv", ("storage", "bucket_derived"), "derv"),
    ("BEWIJSCHECK_S3_BUCKET_INCOMING", "inbx", ("storage", "bucket_incoming"), "inbx"),
    ("BEWIJSCHECK_S3_ATTEMPTS", "5", ("storage", "attempts"), 5),
    ("BEWIJSCHECK_S3_BACKOFF_S", "1", ("storage", "backoff_s"), 1.0),
    ("BEWIJSCHECK_TASK_RETRIES", "0", ("task", "retries"), 0),
    ("BEWIJSCHECK_TASK_RETRY_DELAY_S", "0.5", ("task", "retry_delay_s"), 0.5),
    ("BEWIJSCHECK_DOCUMENT_TIMEOUT_S", " 900 ", ("task", "timeout_s"), 900.0),
    ("BEWIJSCHECK_DOCUMENT_TIMEOUT_S", "  ", ("task", "timeout_s"), None),
    ("BEWIJSCHECK_DOCUMENTS_PER_TASK", "2", ("task", "documents_per_task"), 2),
    ("BEWIJSCHECK_TASK_CONCURRENCY_TAG", "YES", ("task", "concurrency_tag"), True),
    ("BEWIJSCHECK_TASK_CONCURRENCY_TAG", "maybe", ("task", "concurrency_tag"), False),
    ("BEWIJSCHECK_INTAKE_LEASE_SECONDS", "60", ("intake", "lease_s"), 60.0),
    ("BEWIJSCHECK_INTAKE_MAX_ATTEMPTS", "9", ("intake", "max_attempts"), 9),
    ("BEWIJSCHECK_CACHE", "0", ("cache",), False),
    ("BEWIJSCHECK_CACHE", "", ("cache",), False),
    ("BEWIJSCHECK_CACHE", "True", ("cache",), True),
    ("BEWIJSCHECK_DATABASE_URL", "", ("database_url",), None),
    ("BEWIJSCHECK_DATABASE_URL", "sqlite:///x.db", ("database_url",), "sqlite:///x.db"),
    ("BEWIJSCHECK_DASK_ADDRESS", " tcp://10.0.0.5:8786 ", ("dask_address",), "tcp://10.0.0.5:8786"),
    ("BEWIJSCHECK_DASK_ADDRESS", " ", ("dask_address",), None),
    ("BEWIJSCHECK_WEB_SECRET", " s3cr3t ", ("web_secret",), "s3cr3t"),
    ("BEWIJSCHECK_WEB_SECRET", "", ("web_secret",), None),
    ("BEWIJSCHECK_RETENTION_DAYS", "", ("retention_days",), 365),
    ("BEWIJSCHECK_RETENTION_DAYS", " 90 ", ("retention_days",), 90),
    ("BEWIJSCHECK_WORKERS", "3", ("workers",), 3),
    ("BEWIJSCHECK_DATA_DIR", "/data", ("data_dir",), Path("/data")),
]


@pytest.mark.parametrize(("name", "raw", "path", "expected"), LEGACY_CASES)
def test_documented_names_keep_their_meaning_and_parsing(
    monkeypatch: pytest.MonkeyPatch, name: str, raw: str, path: tuple[str, ...], expected: Any
) -> None:
    monkeypatch.setenv(name, raw)
    assert _value_of(Settings.from_env(), path) == expected


def test_every_legacy_name_is_tested_and_points_at_a_setting() -> None:
    assert set(LEGACY) <= {name for name, *_ in LEGACY_CASES}
    assert {path for path, _ in LEGACY.values()} <= set(leaves())
    assert set(env_names()) >= set(LEGACY) | {env_name(p) for p in leaves()}


def test_no_variables_give_the_defaults() -> None:
    assert Settings.from_env() == Settings()


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("BEWIJSCHECK_MAX_BYTES", "veel"),
        ("BEWIJSCHECK_OCR_DPI", "9000"),
        ("BEWIJSCHECK_STORAGE", "ftp"),
        ("BEWIJSCHECK_OCR_ENGINE", "tesserocr"),
        ("BEWIJSCHECK_LIMITS__MAX_PAGE_INCHES", "-1"),
        ("BEWIJSCHECK_OCR__MIN_TEXT_LAYER_CHARS", "twintig"),
        ("BEWIJSCHECK_TASK__TIMEOUT_S", ""),
        ("BEWIJSCHECK_LIMITS", "{kapot"),
    ],
)
def test_a_bad_value_is_a_config_error_naming_the_variable_not_the_value(
    monkeypatch: pytest.MonkeyPatch, name: str, raw: str
) -> None:
    monkeypatch.setenv(name, raw)
    with pytest.raises(ConfigError) as caught:
        Settings.from_env()
    message = str(caught.value)
    assert message.startswith(f"invalid setting {name}: "), message
    assert "\n" not in message and (not raw.strip() or raw not in message)
    assert caught.value.exit_code is ExitCode.BAD_ARGS
    assert isinstance(caught.value, ValueError)  # as int() and StorageKind() raised before


def test_a_legacy_and_a_nested_name_for_one_setting_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BEWIJSCHECK_MAX_PAGES", "5")
    monkeypatch.setenv("BEWIJSCHECK_LIMITS__MAX_PAGES", "6")
    with pytest.raises(ConfigError, match="BEWIJSCHECK_MAX_PAGES and BEWIJSCHECK_LIMITS__"):
        Settings.from_env()


def test_settings_made_in_code_never_read_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BEWIJSCHECK_MAX_BYTES", "5")
    monkeypatch.setenv("BEWIJSCHECK_LIMITS__MAX_PAGES", "6")
    monkeypatch.setenv("BEWIJSCHECK_WORKERS", "9")
    monkeypatch.setenv("BEWIJSCHECK_TASK__RETRIES", "0")
    made = Settings(data_dir=tmp_path, task=TaskSettings(documents_per_task=1))
    assert made.limits == Limits() and made.workers != 9 and made.task.retries == 2
    assert (OcrSettings(), IntakeSettings()) == (made.ocr, made.intake)


def test_settings_from_env_are_plain_frozen_and_picklable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BEWIJSCHECK_S3_SECRET_KEY", "geheim")
    monkeypatch.setenv("BEWIJSCHECK_OCR__ENGINE", "cli")
    settings = Settings.from_env()
    assert type(settings) is Settings
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert "geheim" not in repr(settings)
    with pytest.raises(ValidationError):
        settings.workers = 1  # type: ignore[misc]
