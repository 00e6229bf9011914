"""A small mutation check of the rules (issue 15): plant one deliberate bug at a time in
checks/*.py and run the rule tests against it. A mutant the tests do not notice (they all still
pass) *survives*: a bug of that kind in that place would go unseen.

    .venv/bin/python -m benchmarks.mutants                       # every mutant of checks/
    .venv/bin/python -m benchmarks.mutants --files checks/window.py --max 20
    .venv/bin/python -m benchmarks.mutants --list                # the mutants only, no tests
    .venv/bin/python -m benchmarks.mutants --issue               # the survivors issue 15 named

The mutations: a comparison moved over its boundary (< and <=, > and >=) or turned round
(== and !=, is and is not), and/or swapped, True/False swapped, min/max swapped, a `not`
removed, a date constant or a timedelta's days shifted by one day either way. `--issue` runs
instead the hand-written mutants issue 15 found surviving (ISSUE_MUTANTS).

Nothing in the working tree is written: the source is copied into a temporary folder (removed
afterwards) and each mutant is written into that copy and restored there before the next one.
No byte code is written or read from the copy (a mutant of the same size written within the
same second could otherwise run a stale .pyc). Each mutant runs the tests of its rule family
first, then the other rule tests (`--family-only`: the family alone), stopping at the first
failure (`pytest -x`); the unmutated copy must pass first. Entry-point pytest plugins are not
loaded (hypothesis and faker alone take seconds a run; no rule test needs them).

Exit status 0 whatever survives (a benchmark reports, it does not gate), 2 when the unmutated
tests fail or the copy does not import its own `checks`."""

from __future__ import annotations

import argparse
import ast
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Not copied: environments, caches, data and docs (nothing a rule test reads).
SKIP = (".venv", ".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
        ".hypothesis", ".bewijscheck", "docs", "node_modules", "*.pyc")  # fmt: skip
RULE_TESTS = ("tests/test_rule_*.py", "tests/test_registry.py")
# The tests that exercise a checks module most directly: run first, so a kill comes early.
FAMILY = {
    "window": ("test_rule_variants.py", "test_rule_registration.py"),
    "payslip": ("test_rule_variants.py", "test_rule_activities.py", "test_rule_payslip.py"),
    "target_group": ("test_rule_activities.py", "test_rule_registration.py"),
    "duplicate": ("test_rule_registration.py", "test_rule_variants.py"),
    "declaration": ("test_rule_cde.py", "test_rule_declaration.py"),
    "diploma": ("test_rule_activities.py", "test_rule_declaration.py"),
    "signatures": ("test_rule_b_route.py", "test_rule_cde.py", "test_rule_agreement.py"),
    "education": ("test_rule_b_route.py", "test_rule_agreement.py"),
    "agreement": ("test_rule_agreement.py", "test_rule_b_route.py"),
    "participant": ("test_rule_agreement.py", "test_rule_activities.py"),
    "completeness": ("test_rule_documents.py", "test_rule_activities.py", "test_rule_b_route.py"),
    "doc_type": ("test_rule_documents.py", "test_rule_activities.py"),
    "kvk": ("test_rule_kvk.py", "test_rule_activities.py"),
    "integrity": ("test_rule_activities.py", "test_integrity_rules.py"),
    "base": ("test_registry.py", "test_rule_documents.py"),
    "runner": ("test_rule_runner.py",),
    "_match": ("test_rule_matching.py", "test_rule_agreement.py"),
}  # fmt: skip
TIMEOUT = 120.0  # seconds for one test run; a mutant that hangs the tests counts as killed

FLIPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
SWAPS = {"and": "or", "or": "and", "True": "False", "False": "True"}
MIN_MAX = {"min": "max", "max": "min"}
QUIET = ("@dataclass",)  # lines not mutated: frozen=True/False changes no rule's outcome

# The mutants issue 15 found surviving every rule test, by meaning (its line numbers are from
# before a refactor): (file, what, exact source text, its replacement).
ISSUE_MUTANTS = (
    ("checks/window.py", "EARLIEST V2 = the V1 start (22-08-2022)",
     "Variant.V2: date(2022, 9, 30)", "Variant.V2: date(2022, 8, 22)"),
    ("checks/window.py", "LATEST_CDE V2 = the A/B end (31-08-2024)",
     "LATEST_CDE = {\n    Variant.V1: date(2023, 8, 31),\n    Variant.V2: date(2023, 8, 31),",
     "LATEST_CDE = {\n    Variant.V1: date(2023, 8, 31),\n    Variant.V2: date(2024, 8, 31),"),
    ("checks/window.py", "LATEST_CDE V3 = the V1/V2 end (31-08-2023)",
     "    Variant.V3: date(2024, 8, 31),\n    Variant.V4: date(2025, 12, 31),\n}\n\nSTART",
     "    Variant.V3: date(2023, 8, 31),\n    Variant.V4: date(2025, 12, 31),\n}\n\nSTART"),
    ("checks/payslip.py", "end payslip: the window's last month no longer allowed",
     "[month_of(end), month_of(min(end, latest_end(ctx)))]", "[month_of(end)]"),
    ("checks/payslip.py", "start payslip: no fallback to the payslip's datum_in_dienst",
     "reg.datum_in_dienst or as_date(doc.fields.get(FieldName.DATUM_IN_DIENST))",
     "reg.datum_in_dienst"),
    ("checks/signatures.py", "three signatures required on an opleidingsovereenkomst too",
     "for doc in ctx.usable(POK):", "for doc in ctx.usable(POK, DocType.OPLEIDINGSOVEREENKOMST):"),
    ("checks/declaration.py", "LETTERHEAD_MISSING also when `extern` is empty",
     "ctx.registration.extern is True", "ctx.registration.extern is not False"),
    ("checks/declaration.py", "the declaration's own training_einddatum ignored",
     "as_date(doc.fields.get(FieldName.TRAINING_EINDDATUM)) or ctx.registration.einddatum",
     "ctx.registration.einddatum"),
    ("checks/education.py", "opleidingsovereenkomst no longer compared (crebo, education)",
     "(POK, DocType.OPLEIDINGSOVEREENKOMST, DocType.DIPLOMA,", "(POK, DocType.DIPLOMA,"),
)  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    """One replacement of source[start:end] in `file` (relative to the tree's root)."""

    file: str
    line: int
    start: int
    end: int
    new: str
    what: str

    def apply(self, source: str) -> str:
        return source[: self.start] + self.new + source[self.end :]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}  {self.what}"


def _offsets(source: str) -> list[int]:
    """The character offset at which each line (1-based: index line - 1) starts."""
    starts, at = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(at)
        at += len(line)
    return [*starts, at]


def _token_mutants(file: str, source: str) -> list[Mutant]:
    """Operator and keyword mutants, found by token (strings and comments are never touched)."""
    starts = _offsets(source)
    toks = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    ]
    lines = source.splitlines()
    out = []

    def pos(tok: tokenize.TokenInfo, end: bool = False) -> int:
        row, col = tok.end if end else tok.start
        return starts[row - 1] + col

    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        prev = toks[i - 1] if i else None
        text = tok.string
        span: tuple[int, int, str, str] | None = None  # start, end, new text, what
        if tok.type == tokenize.OP and text in FLIPS:
            span = (pos(tok), pos(tok, True), FLIPS[text], f"{text} -> {FLIPS[text]}")
        elif tok.type != tokenize.NAME:
            continue
        elif text in SWAPS:
            span = (pos(tok), pos(tok, True), SWAPS[text], f"{text} -> {SWAPS[text]}")
        elif text in MIN_MAX and nxt is not None and nxt.string == "(":
            span = (pos(tok), pos(tok, True), MIN_MAX[text], f"{text}() -> {MIN_MAX[text]}()")
        elif text == "is" and nxt is not None and nxt.string == "not":
            span = (pos(tok, True), pos(nxt, True), "", "is not -> is")
        elif text == "is":
            span = (pos(tok), pos(tok, True), "is not", "is -> is not")
        elif text == "not" and nxt is not None and (prev is None or prev.string != "is"):
            what = "not in -> in" if nxt.string == "in" else "not removed"
            span = (pos(tok), pos(nxt), "", what)
        if span is not None and not lines[tok.start[0] - 1].lstrip().startswith(QUIET):
            out.append(Mutant(file, tok.start[0], *span))
    return out


def _byte_offset(source: str, starts: list[int], line: int, col: int) -> int:
    """ast columns count UTF-8 bytes; the text of a line counts characters."""
    text = source[starts[line - 1] : starts[line]]
    return starts[line - 1] + len(text.encode()[:col].decode())


def _date_mutants(file: str, source: str) -> list[Mutant]:
    """`date(Y, M, D)` shifted a day either way; `timedelta(days=N)` by one day."""
    starts = _offsets(source)
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        assert node.end_lineno is not None and node.end_col_offset is not None
        begin = _byte_offset(source, starts, node.lineno, node.col_offset)
        finish = _byte_offset(source, starts, node.end_lineno, node.end_col_offset)
        ymd = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id == "date" and len(node.args) == len(ymd) == 3:
            if not all(isinstance(v, int) for v in ymd):
                continue
            day = date(*(int(v) for v in ymd))  # type: ignore[arg-type]
            for shift in (-1, 1):
                new = day + timedelta(days=shift)
                text = f"date({new.year}, {new.month}, {new.day})"
                what = f"{source[begin:finish]} -> {text}"
                out.append(Mutant(file, node.lineno, begin, finish, text, what))
        if node.func.id == "timedelta":
            for kw in node.keywords:
                value = kw.value
                if kw.arg != "days" or not isinstance(value, ast.Constant):
                    continue
                if not isinstance(value.value, int):
                    continue
                assert value.end_lineno is not None and value.end_col_offset is not None
                v0 = _byte_offset(source, starts, value.lineno, value.col_offset)
                v1 = _byte_offset(source, starts, value.end_lineno, value.end_col_offset)
                for shift in (-1, 1):
                    n = value.value + shift
                    what = f"timedelta(days={value.value}) -> timedelta(days={n})"
                    out.append(Mutant(file, node.lineno, v0, v1, str(n), what))
    return out


def mutants_of(root: Path, file: str) -> list[Mutant]:
    source = (root / file).read_text(encoding="utf-8")
    found = _token_mutants(file, source) + _date_mutants(file, source)
    return sorted(found, key=lambda m: (m.line, m.start, m.what))


def issue_mutants(root: Path) -> tuple[list[Mutant], list[str]]:
    """ISSUE_MUTANTS as Mutants, and the ones whose source text is gone (or not unique)."""
    out, gone = [], []
    for file, what, old, new in ISSUE_MUTANTS:
        source = (root / file).read_text(encoding="utf-8")
        if source.count(old) != 1:
            gone.append(f"{file}: {what}")
            continue
        start = source.index(old)
        line = source.count("\n", 0, start) + 1
        out.append(Mutant(file, line, start, start + len(old), new, what))
    return out, gone


def copy_tree(dest: Path) -> Path:
    tree = dest / "tree"
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(*SKIP))
    return tree


def test_files(tree: Path, module: str, patterns: list[str], family_only: bool) -> list[str]:
    """The family's tests first, then the others (relative paths, as pytest takes them)."""
    every = sorted({str(p.relative_to(tree)) for pat in patterns for p in tree.glob(pat)})
    family = [
        f"tests/{name}" for name in FAMILY.get(module, ()) if (tree / "tests" / name).exists()
    ]
    if family_only and family:
        return family
    return family + [f for f in every if f not in family]


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", OMP_THREAD_LIMIT="1")
    env.update(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONPATH=str(tree))
    return env


def run_tests(tree: Path, tests: list[str], timeout: float) -> tuple[bool, str]:
    """(passed, the first failing test or what went wrong)."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(
            cmd, cwd=tree, env=_env(tree), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return False, "timeout"
    if done.returncode == 0:
        return True, ""
    failed = [ln for ln in done.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))]
    return False, (failed[0] if failed else f"exit {done.returncode}")[:160]


def imports_the_copy(tree: Path) -> bool:
    probe = "import checks, sys; sys.stdout.write(checks.__file__)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tree, env=_env(tree),
                         capture_output=True, text=True, check=False)  # fmt: skip
    return out.stdout.startswith(str(tree))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", nargs="+", help="checks files to mutate (default: checks/*.py)")
    ap.add_argument("--max", type=int, default=0, help="stop after N mutants (0: all)")
    ap.add_argument("--tests", nargs="+", default=list(RULE_TESTS), help="test files or globs")
    ap.add_argument("--family-only", action="store_true", help="run the family's tests only")
    ap.add_argument("--issue", action="store_true", help="the issue's mutants instead")
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    ap.add_argument("--timeout", type=float, default=TIMEOUT)
    ap.add_argument("-v", "--verbose", action="store_true", help="show each mutant's result")
    args = ap.parse_args(argv)

    if args.issue:
        mutants, gone = issue_mutants(ROOT)
        for what in gone:
            print(f"not found (code changed?): {what}")
    else:
        given = [Path(f).resolve() for f in args.files or ()]
        outside = [str(f) for f in given if not f.is_relative_to(ROOT / "checks")]
        if outside:  # mutants are made in the copy by path under its root: never outside it
            ap.error(f"not a file in {ROOT / 'checks'}: {', '.join(outside)}")
        files = [str(f.relative_to(ROOT)) for f in given] or sorted(
            str(p.relative_to(ROOT)) for p in (ROOT / "checks").glob("*.py")
        )
        mutants = [m for f in files for m in mutants_of(ROOT, f)]
    if args.max:
        mutants = mutants[: args.max]
    if args.list:
        print("\n".join(str(m) for m in mutants))
        print(f"{len(mutants)} mutants")
        return 0

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        tree = copy_tree(Path(tmp))
        if not imports_the_copy(tree):
            print("the copy does not import its own checks package", file=sys.stderr)
            return 2
        ok, why = run_tests(tree, test_files(tree, "", args.tests, False), args.timeout)
        if not ok:
            print(f"the unmutated tests fail: {why}", file=sys.stderr)
            return 2
        survivors, killed = [], 0
        for n, mutant in enumerate(mutants, 1):
            path = tree / mutant.file
            assert path.resolve().is_relative_to(tree.resolve()), path  # never the work tree
            original = path.read_text(encoding="utf-8")
            try:
                path.write_text(mutant.apply(original), encoding="utf-8")
                module = Path(mutant.file).stem
                tests = test_files(tree, module, args.tests, args.family_only)
                survived, why = run_tests(tree, tests, args.timeout)
            finally:
                path.write_text(original, encoding="utf-8")
            if survived:
                survivors.append(mutant)
            else:
                killed += 1
            if args.verbose or args.issue:
                verdict = "SURVIVED" if survived else f"killed by {why}"
                print(f"[{n}/{len(mutants)}] {mutant}\n    {verdict}", flush=True)
            elif n % 25 == 0:
                print(f"{n}/{len(mutants)}: {len(survivors)} survived so far", flush=True)
    minutes = (time.monotonic() - started) / 60
    print(f"\n{len(mutants)} mutants: {killed} killed, {len(survivors)} survived "
          f"({minutes:.1f} min)")  # fmt: skip
    for mutant in survivors:
        print(f"  survived: {mutant}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
