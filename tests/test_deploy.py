"""The production files that cannot be started here (no container runtime on the build
machines): compose.yaml, the Dockerfile and prefect.yaml are checked for what can go stale —
settings names, copied packages and flow entry points."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import yaml
from prefect import Flow
from typer.testing import CliRunner

from bewijscheck.cli import app
from core.settings_env import env_names
from tests.test_layers import RANK as LAYER_PACKAGES

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def settings_names() -> set[str]:
    """Every BEWIJSCHECK_* variable `Settings.from_env` reads: derived from the Settings model
    (each setting's nested name) and its legacy names; nothing else reads the environment."""
    return set(env_names())


def test_settings_names_come_from_the_model() -> None:
    names = settings_names()
    assert {"BEWIJSCHECK_MAX_BYTES", "BEWIJSCHECK_STORAGE", "BEWIJSCHECK_OCR_ENGINE"} <= names
    assert {"BEWIJSCHECK_LIMITS__MAX_PAGE_INCHES", "BEWIJSCHECK_WORKERS"} <= names
    assert "BEWIJSCHECK_NO_SUCH_SETTING" not in names


def test_no_code_reads_a_bewijscheck_variable_itself() -> None:
    """Components get settings passed in: no BEWIJSCHECK_* string literal in the code outside
    core/settings_env.py, except in messages and docs (a name followed by a space or `=`)."""
    readers = []
    for package in LAYER_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path.relative_to(ROOT).as_posix() == "core/settings_env.py":
                continue
            if re.search(r'"BEWIJSCHECK_[A-Z0-9_]+"', path.read_text()):
                readers.append(path.relative_to(ROOT).as_posix())
    assert readers == []


def test_compose_only_sets_settings_that_exist() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert {"postgres", "minio", "prefect-server", "prefect-worker", "dask-worker"} <= set(
        compose["services"]
    )
    used = set(re.findall(r"\b(BEWIJSCHECK_[A-Z0-9_]+)\b", (DEPLOY / "compose.yaml").read_text()))
    assert used, "compose.yaml configures bewijscheck through BEWIJSCHECK_* variables"
    assert used <= settings_names(), f"unknown settings: {sorted(used - settings_names())}"


def test_readme_documents_only_settings_that_exist() -> None:
    used = set(re.findall(r"\b(BEWIJSCHECK_[A-Z0-9_]+)\b", (ROOT / "README.md").read_text()))
    assert used <= settings_names(), f"unknown settings: {sorted(used - settings_names())}"


def test_dockerfile_copies_every_package() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\S+) \1$", dockerfile, flags=re.MULTILINE))
    pyproject = (ROOT / "pyproject.toml").read_text()
    include = re.search(r"include = \[(.*?)\]", pyproject, flags=re.DOTALL)
    assert include is not None
    packages = {p.strip(' "*\n') for p in include.group(1).split(",")} - {""}
    assert packages <= copied, f"not copied into the image: {sorted(packages - copied)}"
    assert all((ROOT / p).is_dir() for p in copied)


def test_compose_commands_name_modules_and_commands_that_exist() -> None:
    """`python -m MODULE --option` runs a module with a main guard that knows the option;
    `bewijscheck COMMAND --option VALUE` parses (an unknown command or option exits 2)."""
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    commands = [
        s["command"].split()
        for s in compose["services"].values()
        if isinstance(s.get("command"), str)
    ]
    modules = [c[2:] for c in commands if c[:2] == ["python", "-m"]]
    ours = [c[1:] for c in commands if c[0] == "bewijscheck"]
    assert modules and ours, "compose.yaml starts our code by `python -m` and by `bewijscheck`"
    for module, *options in modules:
        spec = importlib.util.find_spec(module)
        assert spec is not None and spec.origin is not None, module
        source = Path(spec.origin).read_text()
        assert 'if __name__ == "__main__":' in source, module
        assert all(f'"{o}"' in source for o in options if o.startswith("--")), (module, options)
    for args in ours:
        parsed = CliRunner().invoke(app, [*args, "--help"])  # parses the options, runs nothing
        assert parsed.exit_code == 0, (args, parsed.output)
    assert CliRunner().invoke(app, ["serve", "--no-such-option", "--help"]).exit_code == 2


def test_prefect_yaml_entrypoints_are_flows() -> None:
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    assert spec["deployments"]
    for deployment in spec["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert isinstance(getattr(module, name), Flow), deployment["entrypoint"]
