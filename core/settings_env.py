"""`Settings.from_env()`: the settings from `BEWIJSCHECK_*` environment variables, read with
pydantic-settings into the very fields of `Settings` (one list of fields, so a new setting is
reachable from the environment without a line here).

Every setting has a name: `BEWIJSCHECK_<FIELD>` at the top (`BEWIJSCHECK_WORKERS`) and
`BEWIJSCHECK_<SECTION>__<FIELD>` in a section (`BEWIJSCHECK_OCR__MIN_TEXT_LAYER_CHARS`). The
names documented before the settings were nested (README, deploy/compose.yaml) keep working
with the parsing they had (`LEGACY`): yes/no switches are on for 1, true, yes or on and off for
anything else, some take an empty value for unset. Setting a legacy name and the nested name of
the same setting is refused, and so is a value the setting cannot take: `ConfigError` names
the variable, never its value (some are secrets)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError, create_model
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from core.errors import ConfigError
from core.settings import Settings

PREFIX = "BEWIJSCHECK_"
NESTED = "__"
FieldPath = tuple[str, ...]
Parse = Callable[[str], str | None]  # raw value -> value for the setting, None: unset


def _as_is(value: str) -> str | None:
    return value


def _empty_is_unset(value: str) -> str | None:
    return value or None


def _stripped(value: str) -> str | None:
    return value.strip() or None


def _lowered(value: str) -> str | None:
    return value.strip().lower()


def _lowered_or_unset(value: str) -> str | None:
    return value.strip().lower() or None


def _flag(value: str) -> str | None:
    return "true" if value.strip().lower() in ("1", "true", "yes", "on") else "false"


# The names of before the nesting, each with the setting it sets and how its value was read.
# Names that equal the nested one (BEWIJSCHECK_CACHE) are here for their parsing only.
LEGACY: dict[str, tuple[FieldPath, Parse]] = {
    "BEWIJSCHECK_MAX_BYTES": (("limits", "max_bytes"), _as_is),
    "BEWIJSCHECK_MAX_PAGES": (("limits", "max_pages"), _as_is),
    "BEWIJSCHECK_MAX_MEGAPIXELS": (("limits", "max_megapixels"), _as_is),
    "BEWIJSCHECK_OCR_LANGUAGES": (("ocr", "languages"), _as_is),
    "BEWIJSCHECK_OCR_DPI": (("ocr", "dpi"), _as_is),
    "BEWIJSCHECK_OCR_PAGE_TIMEOUT_S": (("ocr", "page_timeout_s"), _as_is),
    "BEWIJSCHECK_OCR_ENGINE": (("ocr", "engine"), _lowered_or_unset),
    "BEWIJSCHECK_STORAGE": (("storage", "kind"), _lowered),
    "BEWIJSCHECK_S3_ENDPOINT": (("storage", "endpoint"), _empty_is_unset),
    "BEWIJSCHECK_S3_ACCESS_KEY": (("storage", "access_key"), _as_is),
    "BEWIJSCHECK_S3_SECRET_KEY": (("storage", "secret_key"), _as_is),
    "BEWIJSCHECK_S3_SECURE": (("storage", "secure"), _flag),
    "BEWIJSCHECK_S3_REGION": (("storage", "region"), _empty_is_unset),
    "BEWIJSCHECK_S3_BUCKET_ORIGINALS": (("storage", "bucket_originals"), _as_is),
    "BEWIJSCHECK_S3_BUCKET_DERIVED": (("storage", "bucket_derived"), _as_is),
    "BEWIJSCHECK_S3_BUCKET_INCOMING": (("storage", "bucket_incoming"), _as_is),
    "BEWIJSCHECK_S3_ATTEMPTS": (("storage", "attempts"), _as_is),
    "BEWIJSCHECK_S3_BACKOFF_S": (("storage", "backoff_s"), _as_is),
    "BEWIJSCHECK_TASK_RETRIES": (("task", "retries"), _as_is),
    "BEWIJSCHECK_TASK_RETRY_DELAY_S": (("task", "retry_delay_s"), _as_is),
    "BEWIJSCHECK_DOCUMENT_TIMEOUT_S": (("task", "timeout_s"), _stripped),
    "BEWIJSCHECK_DOCUMENTS_PER_TASK": (("task", "documents_per_task"), _as_is),
    "BEWIJSCHECK_TASK_CONCURRENCY_TAG": (("task", "concurrency_tag"), _flag),
    "BEWIJSCHECK_INTAKE_LEASE_SECONDS": (("intake", "lease_s"), _as_is),
    "BEWIJSCHECK_INTAKE_MAX_ATTEMPTS": (("intake", "max_attempts"), _as_is),
    "BEWIJSCHECK_CACHE": (("cache",), _flag),
    "BEWIJSCHECK_DATABASE_URL": (("database_url",), _empty_is_unset),
    "BEWIJSCHECK_DASK_ADDRESS": (("dask_address",), _stripped),
    "BEWIJSCHECK_WEB_SECRET": (("web_secret",), _stripped),
    "BEWIJSCHECK_RETENTION_DAYS": (("retention_days",), _stripped),
}


def env_name(path: FieldPath) -> str:
    """A setting's nested variable: ("limits", "max_bytes") -> BEWIJSCHECK_LIMITS__MAX_BYTES."""
    return PREFIX + NESTED.join(path).upper()


def leaves(model: type[BaseModel] = Settings, prefix: FieldPath = ()) -> Iterator[FieldPath]:
    """The path of every setting that holds a value (not a section), in field order."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from leaves(annotation, (*prefix, name))
        else:
            yield (*prefix, name)


def env_names() -> dict[str, FieldPath]:
    """Every variable `from_env` reads, with the setting it sets: nested names and legacy."""
    names = {env_name(path): path for path in leaves()}
    names.update({name: path for name, (path, _) in LEGACY.items()})
    return names


def _translated(env: Mapping[str, str | None]) -> dict[str, str | None]:
    """The environment (lower-case names, as pydantic-settings reads it) with every legacy
    name replaced by its nested name and its value parsed as it was; None drops it (unset)."""
    out = dict(env)
    for name, (path, parse) in LEGACY.items():
        key = name.lower()
        if key not in env:
            continue
        raw = out.pop(key) or ""
        target = env_name(path).lower()
        if target != key and target in env:
            raise ConfigError(f"{name} and {env_name(path)} set the same setting; set one")
        value = parse(raw)
        if value is not None:
            out[target] = value
    return out


class _EnvSource(EnvSettingsSource):
    """The environment source of pydantic-settings, legacy names translated first (a legacy
    name may also be a section's name, BEWIJSCHECK_STORAGE, which it would read as JSON)."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return _translated(super()._load_env_vars())


class _EnvBase(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_nested_delimiter=NESTED, case_sensitive=False, extra="ignore"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (_EnvSource(settings_cls),)  # the environment only: no .env file, no secrets dir


_fields: dict[str, Any] = {
    name: (field.annotation, field) for name, field in Settings.model_fields.items()
}
_FromEnv = create_model("_FromEnv", __base__=_EnvBase, **_fields)


def _variable(loc: tuple[int | str, ...], environ: Mapping[str, str]) -> str:
    """The variable a validation error is about: the legacy name when that one was set."""
    path = tuple(str(part) for part in loc if isinstance(part, str))
    given = {name.lower() for name in environ}
    for name, (legacy_path, _) in LEGACY.items():
        if legacy_path == path and name.lower() in given:
            return name
    return env_name(path)


def settings_from_env() -> Settings:
    """`Settings` from the environment (see the module docstring)."""
    try:
        read = _FromEnv()
    except ValidationError as exc:
        problems = "; ".join(
            f"{_variable(error['loc'], os.environ)}: {error['msg']}" for error in exc.errors()
        )
        raise ConfigError(f"invalid setting {problems}") from None
    except SettingsError as exc:  # a section given as JSON that does not parse
        section = re.search(r'field "(\w+)"', str(exc))
        name = env_name((section.group(1),)) if section else "BEWIJSCHECK_*"
        raise ConfigError(f"invalid setting {name}: not a JSON object") from None
    return Settings(**{name: getattr(read, name) for name in Settings.model_fields})
