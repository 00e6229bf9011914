"""The batch's tasks: each file's expected work guessed from its type, pages and bytes per page,
and documents grouped by it, heaviest first, every document once (`pipeline.workload`)."""

from __future__ import annotations

from pathlib import Path

from core.enums import Slot
from core.manifest import ManifestEntry
from pipeline.workload import SCAN_PAGE_BYTES, TEXT_PAGE_WORK, expected_work, groups
from tests import factories


def entry(path: Path | None, line: int = 2) -> ManifestEntry:
    return ManifestEntry(
        registratie_id="R0000001",
        slot=Slot.PRAKTIJKOVEREENKOMST,
        bestand=path.name if path else "weg.pdf",
        line=line,
        path=path,
    )


def scan(tmp_path: Path, name: str, pages: int = 1) -> Path:
    """An image-only PDF padded to a scan's bytes per page (the padding after %%EOF)."""
    data = factories.merged_pdf(*[factories.image_pdf()] * pages)
    path = tmp_path / name
    path.write_bytes(data + b"\n%" + b"x" * (SCAN_PAGE_BYTES * pages))
    return path


def test_expected_work_by_kind(tmp_path: Path) -> None:
    born = tmp_path / "born.pdf"
    born.write_bytes(factories.text_pdf())
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(factories.jpeg())
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(factories.corrupt_pdf())
    docx = tmp_path / "brief.docx"
    docx.write_bytes(factories.docx())
    assert expected_work(born) == TEXT_PAGE_WORK  # a few KB a page: a text layer
    assert expected_work(scan(tmp_path, "scan.pdf")) == 1.0
    assert expected_work(scan(tmp_path, "scan3.pdf", pages=3)) == 3.0
    assert expected_work(photo) == 1.0
    for light in (broken, docx, tmp_path / "gone.pdf", None):
        assert expected_work(light) == TEXT_PAGE_WORK


def test_groups_take_the_heaviest_first_and_every_document_once(tmp_path: Path) -> None:
    heavy = [scan(tmp_path, f"s{i}.pdf", pages=1 + i % 3) for i in range(6)]  # 1,2,3,1,2,3
    light = []
    for i in range(30):
        path = tmp_path / f"b{i}.pdf"
        path.write_bytes(factories.text_pdf())
        light.append(path)
    entries = [entry(p, line=i + 2) for i, p in enumerate(heavy + light)]
    pending = list(range(len(entries)))
    out = groups(entries, pending, 4, 2)
    assert sorted(i for g in out for i in g) == pending
    # the three-page scans first, alone (a quarter of 15 pages of work left per worker is
    # under 4)
    assert out[0] in ([2], [5]) and out[1] in ([2], [5])
    # born-digital documents share tasks, at least five a task (half an OCR'd page of work)
    assert [len(g) for g in out[6:]] == [5] * 6
    # one worker: no one to finish with, so no shrinking tail: fewer, fuller tasks
    one = groups(entries, pending, 4, 1)
    assert sorted(i for g in one for i in g) == pending
    assert one[:2] == [[2], [5]] and len(one) == 5
    # only scans: with two workers a quarter of what is left per worker, at most `size`
    scans_only = [entry(scan(tmp_path, f"t{i}.pdf"), line=i + 2) for i in range(40)]
    sizes = [len(g) for g in groups(scans_only, list(range(40)), 4, 2)]
    assert sizes[0] == 4 and sizes[-3:] == [1, 1, 1] and sum(sizes) == 40
    assert sizes == sorted(sizes, reverse=True)
    assert [len(g) for g in groups(scans_only, list(range(40)), 4, 1)] == [4] * 10


def test_groups_edge_cases(tmp_path: Path) -> None:
    born = tmp_path / "born.pdf"
    born.write_bytes(factories.text_pdf())
    entries = [entry(born, line=i + 2) for i in range(200)]
    # at most `size` x 10 light documents in one task
    assert max(len(g) for g in groups(entries, list(range(200)), 2, 1)) == 20
    assert groups(entries, [], 4, 2) == []
    assert groups(entries, [7], 4, 2) == [[7]]
    # size 1: a task per document, scans and born-digital alike
    scans = [entry(scan(tmp_path, f"t{i}.pdf"), line=i + 2) for i in range(5)]
    assert [len(g) for g in groups(scans, list(range(5)), 1, 2)] == [1] * 5
    assert [len(g) for g in groups(entries, list(range(30)), 1, 1)] == [1] * 30
