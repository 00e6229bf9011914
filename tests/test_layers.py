"""The layers import one way: a package may import its own modules and those of layers below
it, never a layer above it or a sibling on its own level. Every import counts, also those
inside functions (an AST walk, not an import of the code)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. Packages on one line are siblings: independent of each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),  # model, enums, geometry, layout, settings, errors, fields, input/report formats
    ("reading",),  # admission, text (text layer, render, OCR, orientation)
    ("extractors", "checks", "store"),  # classify, fields, visual, integrity; rules; storage, db
    ("pipeline", "fixtures"),  # one document, assemble, pre-screen, batch work, bucket intake,
    # cache; the fixture generator (it needs the rules' severities for its truth)
    ("outputs", "review"),  # report.json/xlsx/html, evaluate; review cases and their import
    ("flows", "web"),  # Prefect flows; upload API and reviewer web app
    ("bewijscheck",),  # the command line
)
RANK = {package: rank for rank, level in enumerate(LAYERS) for package in level}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in a file, `from a import b` as `a.b`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def violations(root: Path) -> list[str]:
    """Every import against the layers' direction under `root`, as `file:line: a -> b`."""
    problems = []
    for package, rank in RANK.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, module in imported_modules(path):
                target = module.split(".")[0]
                if target == package or target not in RANK:
                    continue
                if RANK[target] >= rank:
                    where = path.relative_to(root).as_posix()
                    problems.append(f"{where}:{line}: {package} -> {module}")
    return problems


def test_the_tree_imports_one_way() -> None:
    assert violations(ROOT) == []


# The generator writes the ground truth the pipeline is measured against: it must stay
# independent of the code that reads documents, so it may use the vocabulary and the rules'
# declarations, nothing else of the product.
FIXTURES_MAY_IMPORT = frozenset({"fixtures", "core", "checks"})


def foreign_imports(root: Path, package: str, allowed: frozenset[str]) -> list[str]:
    """Imports of product packages outside `allowed` under `root / package`."""
    return [
        f"{path.relative_to(root).as_posix()}:{line}: {module}"
        for path in sorted((root / package).rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] in RANK and module.split(".")[0] not in allowed
    ]


def test_the_fixture_generator_imports_only_core_and_checks() -> None:
    assert foreign_imports(ROOT, "fixtures", FIXTURES_MAY_IMPORT) == []


def test_a_fixture_import_of_the_reading_code_is_found(tmp_path: Path) -> None:
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "ok.py").write_text("from checks.registry import severity_of\n")
    (tmp_path / "fixtures" / "bad.py").write_text("def f() -> None:\n    import reading.ocr\n")
    found = foreign_imports(tmp_path, "fixtures", FIXTURES_MAY_IMPORT)
    assert found == ["fixtures/bad.py:2: reading.ocr"]


def test_every_product_package_is_in_a_layer() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - {"tests", "benchmarks", "migrations"} == set(RANK)


@pytest.mark.parametrize(
    ("package", "line"),
    [
        ("core", "from pipeline.process import process_document"),  # upwards
        ("extractors", "import checks.base"),  # a sibling
        ("pipeline", "    from web.app import create_app"),  # inside a function, upwards
        ("store", "from review.repository import audit"),
    ],
)
def test_an_import_against_the_direction_is_found(tmp_path: Path, package: str, line: str) -> None:
    for name in RANK:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    body = f"def f() -> None:\n{line}\n" if line.startswith(" ") else f"{line}\n"
    (tmp_path / package / "bad.py").write_text(body)
    (tmp_path / "web" / "fine.py").write_text("from core.enums import Slot\nimport pipeline\n")
    found = violations(tmp_path)
    assert len(found) == 1 and found[0].startswith(f"{package}/bad.py:")


def test_the_cache_key_covers_the_code_that_makes_cached_results_only() -> None:
    from pipeline.cache import stage_files

    files = {path.relative_to(ROOT).as_posix() for path in stage_files()}
    assert {"reading/ocr.py", "extractors/classify/classifier.py", "pipeline/process.py"} <= files
    assert {
        "core/model.py",
        "extractors/visual/sig_verifier.py",
        "extractors/visual/trees.py",
    } <= files
    later = ("outputs/", "web/", "checks/", "review/", "flows/", "pipeline/assemble.py")
    assert not [name for name in files if name.startswith(later)]


def test_the_cache_key_covers_the_data_the_stages_read() -> None:
    from pipeline.cache import stage_data, stage_files

    data = {path.relative_to(ROOT).as_posix() for path in stage_data(stage_files())}
    assert {"extractors/lexicon/labels.toml", "extractors/lexicon/titles.toml"} <= data
    assert "extractors/visual/models/signatures_forest.json" in data  # a retrained verifier
    assert "extractors/classify/models/doctype/meta.json" in data
    assert "core/data/kwalificaties.csv" in data
    assert not [name for name in data if name.endswith((".py", ".pyc"))]
    assert not [name for name in data if name.startswith(("web/", "outputs/", "fixtures/"))]
