"""A content-addressed cache of processed documents in derived storage, so that re-running an
unchanged batch skips the work and a killed batch resumes where it stopped.

The key is made of everything that decides a document's result: the sha256 of the file's
bytes, the slot, the pipeline (its version and a digest of the stages' source code and of the
data it reads, so an edit or a retrained model never serves a stale result), the settings that
change what is read (limits, OCR), and the registration's hints (participant name, education,
dates). The hints are hashed together with the document's sha256, never stored in clear. The
value is the `ProcessedDocument` as JSON, written once the document is done; storage puts are
atomic, so an entry is whole or absent.

Results with CHECK_FAILED (a fault on our side) are never cached: the next run tries again."""

from __future__ import annotations

import ast
import hashlib
import logging
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from core import PIPELINE_VERSION
from core.enums import FindingCode, Slot
from core.model import Hints, ProcessedDocument
from core.settings import Settings
from store.objects import Storage

log = logging.getLogger(__name__)

RESULTS = "results/"
# The module that makes a ProcessedDocument; the code it imports, directly or through other
# modules of the project, is what decides a cached result (rules run later, on every run).
STAGE_ENTRY = "pipeline.process"
ROOT = Path(__file__).resolve().parent.parent


def _module_file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def stage_files(entry: str = STAGE_ENTRY) -> list[Path]:
    """The project's source files `entry` imports, transitively (imports inside functions
    included), with the packages' `__init__` files on the way."""
    seen: dict[Path, None] = {}
    todo = [entry]
    while todo:
        module = todo.pop()
        parts = module.split(".")
        for i in range(1, len(parts) + 1):  # `a.b.c` imports `a` and `a.b` first
            path = _module_file(".".join(parts[:i]))
            if path is None or path in seen:
                continue
            seen[path] = None
            for node in ast.walk(ast.parse(path.read_bytes())):
                if isinstance(node, ast.Import):
                    todo += [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    todo.append(node.module)
                    todo += [f"{node.module}.{alias.name}" for alias in node.names]
    return sorted(seen)


def stage_data(files: list[Path]) -> list[Path]:
    """The data the stage code reads beside it: every file that is not Python in the folders
    of `files`, and in their sub-folders that are no package (the label lexicon, the trained
    classifier, the qualification list). A retrained model or an edited lexicon decides
    results as much as code does."""
    found: dict[Path, None] = {}
    todo = sorted({path.parent for path in files})
    while todo:
        folder = todo.pop()
        for item in sorted(folder.iterdir()):
            if item.is_file() and item.suffix not in (".py", ".pyc"):
                found[item] = None
            elif (
                item.is_dir() and item.name != "__pycache__" and not (item / "__init__.py").exists()
            ):
                todo.append(item)
    return sorted(found)


@cache
def code_digest() -> str:
    """A short digest of the stage code's Python source and the data it reads (computed once
    per process)."""
    digest = hashlib.sha256()
    code = stage_files()
    for path in [*code, *stage_data(code)]:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _context_hash(document_id: str, settings: Settings, hints: Hints | None) -> str:
    """Hints and reading settings, hashed with the document's sha256 as salt."""
    hints = hints or Hints()
    parts = [
        document_id,
        hints.participant or "",
        hints.education or "",
        hints.crebo or "",
        hints.organisation or "",
        hints.signatory or "",
        repr(hints.dates),
        settings.limits.model_dump_json(),
        settings.ocr.model_dump_json(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def result_key(document_id: str, slot: Slot, settings: Settings, hints: Hints | None) -> str:
    """Where the result of this document, in this slot, under these hints is cached."""
    version = f"{PIPELINE_VERSION}-{code_digest()}"
    context = _context_hash(document_id, settings, hints)
    return f"{RESULTS}{document_id[:2]}/{document_id}/{version}/{slot.value}-{context}.json"


def cacheable(processed: ProcessedDocument) -> bool:
    """Only results that say something about the file; never a fault of ours."""
    return all(f.code is not FindingCode.CHECK_FAILED for f in processed.findings)


class ResultCache:
    """Processed documents by `result_key`, in a Storage (derived bucket)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def get(self, key: str, file: str) -> ProcessedDocument | None:
        """The cached result, re-labelled with the `file` name it was listed under now."""
        if not self.storage.exists(key):
            return None
        try:
            cached = ProcessedDocument.model_validate_json(self.storage.get(key))
        except FileNotFoundError:
            return None
        except ValidationError:
            log.warning("ignoring an unreadable cache entry %s", key)
            return None
        return _relabel(cached, file)

    def put(self, key: str, processed: ProcessedDocument) -> bool:
        """Store `processed` if it may be reused; True when it was stored."""
        if not cacheable(processed):
            return False
        self.storage.put(key, processed.model_dump_json().encode())
        return True


def _relabel(processed: ProcessedDocument, file: str) -> ProcessedDocument:
    """The same bytes may be listed under another name: point every `file` at the new one."""
    old = processed.file
    if old == file:
        return processed
    processed.file = file
    if processed.document is not None:
        processed.document.file = file
    for finding in processed.findings:
        if finding.file == old:
            finding.file = file
    return processed
