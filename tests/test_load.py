"""The upload API under concurrent load (`benchmarks.load_uploads`, short version): 10
distinct uploads sent at once to the app served by uvicorn all come back 200 and checked, and
each is recorded exactly once (one review document, one audit row); the first is sent three
times at once and is checked once, answered `al_ontvangen` twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.load_uploads import report, run_load


@pytest.mark.slow  # about 15 s: a served app, its worker processes warming up
def test_ten_concurrent_uploads_none_lost_or_duplicated(tmp_path: Path) -> None:
    outcome = run_load(tmp_path, n=10, workers=2, timeout_s=120, same=3)
    assert len(outcome.answers) == 12
    assert not outcome.problems, "\n".join(outcome.problems)
    assert len({a.upload.registratie_id for a in outcome.answers}) == 10
    assert sorted(a.verdict_status or "" for a in outcome.answers).count("al_ontvangen") == 2
    print(report(outcome))
