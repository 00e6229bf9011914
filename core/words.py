"""The Dutch words users see for a verdict and a decision, one vocabulary for the web app,
report.xlsx and report.html: the machine's advice is an infinitive ("Afwijzen"), the SSC's
decision the matching participle ("Afgewezen"), so the two read as one pair."""

from __future__ import annotations

from core.enums import Verdict

VERDICT_WORDS = {
    Verdict.APPROVE: "Goedkeuren",
    Verdict.REVIEW: "Beoordelen",
    Verdict.REJECT: "Afwijzen",
}
DECISION_WORDS = {"goedgekeurd": "Goedgekeurd", "afgewezen": "Afgewezen"}
