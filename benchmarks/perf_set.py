"""The generated set `benchmarks.performance` measures: generated once (`fixtures.generate`) or
reused (`--set DIR`), with a manifest per subset (the whole set, the scans, the photos, the
born-digital PDFs, those repeated to 500 documents, none) and a 50-page scanned PDF of its own
(scan pages concatenated with pypdf; `Limits.max_pages` is 50), and how many pages and
documents each subset holds."""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIG_PAGES = 50
MANY_BORN_DIGITAL = 500  # the born-digital rows repeated up to this many documents


@dataclass
class BenchSet:
    root: Path
    registrations: Path
    manifest: Path
    truth: Path
    samples: list[dict[str, str]]
    manifests: dict[str, Path] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)  # pages per subset
    documents: dict[str, int] = field(default_factory=dict)

    def files(self, kind: str) -> list[Path]:
        return [self.root / r["file"] for r in self.samples if r["kind"] == kind]


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def generate(args: argparse.Namespace, work: Path) -> Path:
    if args.set is not None:
        return args.set.resolve()
    target = work / "set"
    command = [
        sys.executable,
        "-m",
        "fixtures.generate",
        "--seed",
        str(args.seed),
        "--registrations",
        str(args.registrations),
        "--out",
        str(target),
    ]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"generated the set in {time.perf_counter() - started:.0f} s")
    return target


def prepare(root: Path, work: Path) -> BenchSet:
    """Manifests per subset and the 50-page scanned PDF."""
    from pypdf import PdfReader, PdfWriter

    with (root / "samples.csv").open(newline="") as fh:
        samples = list(csv.DictReader(fh))
    kinds = {r["file"]: r["kind"] for r in samples}
    with (root / "manifest.csv").open(newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    bench = BenchSet(
        root, root / "registrations.csv", root / "manifest.csv", root / "truth.json", samples
    )

    def write(name: str, subset: list[dict[str, str]], folder: Path = root) -> None:
        path = folder / f"bench_{name}.csv"
        with path.open("w", newline="") as fh:
            out = csv.DictWriter(fh, header)
            out.writeheader()
            out.writerows(subset)
        bench.manifests[name] = path

    def count(subset: list[dict[str, str]]) -> int:
        total = 0
        for row in subset:
            kind = kinds.get(row["bestand"])
            if kind == "photo":
                total += 1
            elif kind in ("scan", "born_digital"):
                total += pdf_pages(root / row["bestand"])
        return total

    born = [r for r in rows if kinds.get(r["bestand"]) == "born_digital"]
    subsets = {
        "all": rows,
        "scans": [r for r in rows if kinds.get(r["bestand"]) == "scan"],
        "photos": [r for r in rows if kinds.get(r["bestand"]) == "photo"],
        "born_digital": born,
        # the same files listed again for their registrations, so that fixed costs are spread
        # over 500 documents (`--no-cache` checks every row again)
        "born_many": (born * (-(-MANY_BORN_DIGITAL // len(born))))[:MANY_BORN_DIGITAL]
        if born
        else [],
        "empty": [],
    }
    for name, subset in subsets.items():
        write(name, subset)
        bench.pages[name] = count(subset)
        bench.documents[name] = len(subset)

    # 50 pages of scans in one PDF, listed for the first scan's registration and slot
    writer = PdfWriter()
    scans = bench.files("scan")
    while len(writer.pages) < BIG_PAGES:
        for path in scans:
            for page in PdfReader(path).pages:
                if len(writer.pages) < BIG_PAGES:
                    writer.add_page(page)
    big_dir = work / "big"
    big_dir.mkdir(exist_ok=True)
    writer.write(big_dir / "scan50.pdf")
    first = subsets["scans"][0]
    write("big", [{**first, "bestand": "scan50.pdf"}], big_dir)
    bench.pages["big"], bench.documents["big"] = BIG_PAGES, 1
    return bench
