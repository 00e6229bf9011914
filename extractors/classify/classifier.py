"""Document type per document and per page: a small spaCy text classifier (trained on generated
fixtures by `extractors.classify.train`, shipped in `extractors/models/doctype`) combined with
explainable keyword evidence. A clear title (extractors.classify.titles) decides first, on any
layout: the model learned the layouts it was trained on, a title holds on every layout. Below
the threshold the type is `onbekend`."""

from __future__ import annotations

import logging
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.enums import DocType
from core.layout import DocumentText, Line, page_lines
from core.model import ClassifiedType, Document
from extractors.classify.keywords import KeywordScore, keyword_scores
from extractors.classify.titles import find_title, shared_pattern

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "models" / "doctype"
THRESHOLD = 0.6
MODEL_WEIGHT = 0.5
MAX_CHARS = 6000  # the first part of a document says what it is
TITLE_CONFIDENCE = 0.9  # a clear title of one type: at least this sure


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_DIR) -> Any | None:
    """The trained spaCy pipeline, loaded once per process; None when not shipped. The saved
    tokenizer is not read: it is spaCy's Dutch default (the model is trained on
    `spacy.blank("nl")`), which `Language.__init__` has built already, and reading its 4,700
    special cases a second time was half of the load (1.07 s -> 0.48 s, once per worker)."""
    if not (path / "meta.json").exists():
        log.warning("no document-type model at %s; keywords only", path)
        return None
    import spacy

    return spacy.load(path, exclude=["tokenizer"])


def _softmax(scores: dict[DocType, float], temperature: float = 2.0) -> dict[DocType, float]:
    top = max(scores.values())
    exp = {k: math.exp((v - top) / temperature) for k, v in scores.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


def _scores(
    text: str, model: Any | None
) -> tuple[dict[DocType, float], dict[DocType, KeywordScore]] | None:
    """Model and keyword probability per type, and the keywords found; None for a text with
    nothing to go on."""
    keywords = keyword_scores(text)
    if not text.strip() or (max(k.score for k in keywords.values()) <= 0 and model is None):
        return None
    kw_probs = _softmax({t: max(0.0, k.score) for t, k in keywords.items()})
    if model is None:
        return kw_probs, keywords
    cats = model(text.lower()).cats
    combined = {
        t: MODEL_WEIGHT * float(cats.get(t.value, 0.0)) + (1 - MODEL_WEIGHT) * kw_probs[t]
        for t in DocType
    }
    # The softmax leaves a type that alone has keyword evidence at ~0.2 (one payslip word:
    # 0.19), so a sure model and that word together stayed under the threshold. Their share
    # of the keyword evidence says the same more plainly: where model and keywords agree,
    # the better of the two measures counts.
    positive = {t: max(0.0, k.score) for t, k in keywords.items()}
    mass = sum(positive.values())
    if mass > 0:
        model_best = max(DocType, key=lambda t: float(cats.get(t.value, 0.0)))
        if positive[model_best] == max(positive.values()):
            share = positive[model_best] / mass
            by_share = MODEL_WEIGHT * float(cats.get(model_best.value, 0.0))
            by_share += (1 - MODEL_WEIGHT) * share
            combined[model_best] = max(combined[model_best], by_share)
    return combined, keywords


def classify_text(
    text: str, model: Any | None = None, among: tuple[DocType, ...] = ()
) -> ClassifiedType:
    """The type of one text (a document or a page), with confidence and deciding words;
    `among` narrows the choice to those types (a shared title), each sure as a title."""
    scored = _scores(text[:MAX_CHARS], model)
    if scored is None:
        return ClassifiedType(doc_type=among[0] if among else DocType.ONBEKEND, confidence=0.0)
    combined, keywords = scored
    if among:
        best = max(among, key=lambda t: combined[t])
        return ClassifiedType(doc_type=best, confidence=TITLE_CONFIDENCE,
                              evidence=keywords[best].evidence[:6])  # fmt: skip
    best = max(combined, key=lambda t: combined[t])
    confidence = combined[best]
    evidence = keywords[best].evidence[:6]
    if confidence < THRESHOLD:
        return ClassifiedType(doc_type=DocType.ONBEKEND, confidence=round(confidence, 4),
                              evidence=evidence)  # fmt: skip
    return ClassifiedType(doc_type=best, confidence=round(confidence, 4), evidence=evidence)


def classify_lines(lines: list[Line], model: Any | None) -> ClassifiedType:
    """The type of a run of rows (a document or a page): its title when it has a clear one
    (kept sure of whatever the model says), else the model and the keywords; a shared title
    leaves the choice among its types to the content."""
    text = "\n".join(line.text for line in lines)
    result = classify_text(text, model)
    title = find_title(lines)
    if title is None or title.doc_type is DocType.ONBEKEND:
        return result
    if title.shared:  # the content decides, without the title's own words
        content = shared_pattern(title.doc_types).sub(" ", text)
        shared = classify_text(content, model, among=title.doc_types)
        return shared.model_copy(update={"evidence": [f"titel: {title.phrase}", *shared.evidence]})
    if result.doc_type is title.doc_type:
        confidence = max(result.confidence, TITLE_CONFIDENCE)
        return result.model_copy(update={"confidence": round(confidence, 4)})
    evidence = [f"titel: {title.phrase}"]
    return ClassifiedType(doc_type=title.doc_type, confidence=TITLE_CONFIDENCE, evidence=evidence)


def classify(document: Document) -> ClassifiedType:
    """The document's type over all its text, read in visual rows."""
    return classify_lines(DocumentText.of(document).lines, load_model())


def classify_pages(document: Document) -> list[ClassifiedType]:
    """One type per page, so a bundle (e.g. an agreement and a payslip in one PDF) shows."""
    model = load_model()
    return [classify_lines(page_lines(page), model) for page in document.pages]
