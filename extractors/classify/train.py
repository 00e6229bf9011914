"""Train the document-type text classifier, reproducibly, on generated fixture sets.

    python -m extractors.classify.train --fixtures /tmp/train-set --out extractors/models/doctype

Texts come from each set's `text_truth.json` (page texts as printed) and `truth.json` (types),
one example per document and one per page, plus copies with simulated OCR noise. The seed of
the generated set used for training must never be used for evaluation."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from core.enums import DocType

CONFUSIONS = {"i": "l", "l": "1", "o": "0", "e": "c", "rn": "m", "n": "ri", "s": "5"}


def ocr_noise(text: str, rng: random.Random, rate: float = 0.03) -> str:
    """Text with a few OCR-like character confusions and dropped characters."""
    out = []
    for char in text:
        roll = rng.random()
        if roll < rate / 2 and char.lower() in CONFUSIONS:
            out.append(CONFUSIONS[char.lower()])
        elif roll < rate * 0.6 and char.isalpha():
            continue
        else:
            out.append(char)
    return "".join(out)


def examples(folders: list[Path]) -> list[tuple[str, str]]:
    data: list[tuple[str, str]] = []
    for folder in folders:
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        texts = json.loads((folder / "text_truth.json").read_text(encoding="utf-8"))
        for file, entry in texts.items():
            doc_type = truth["documents"].get(file, {}).get("doc_type")
            if not doc_type:
                continue
            pages = entry["pages"]
            data.append(("\n".join(pages), doc_type))
            if len(pages) > 1:
                data.extend((page, doc_type) for page in pages)
    return data


def train(data: list[tuple[str, str]], out: Path, seed: int = 13, epochs: int = 12) -> None:
    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = spacy.blank("nl")
    textcat: Any = nlp.add_pipe(
        "textcat",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": True,
                "ngram_size": 2,
                "no_output_layer": False,
                "length": 65536,
            }
        },
    )
    for doc_type in DocType:
        textcat.add_label(doc_type.value)
    noisy = [(ocr_noise(text, rng), label) for text, label in data]
    all_data = data + noisy

    def to_example(text: str, label: str) -> Example:
        cats = {t.value: float(t.value == label) for t in DocType}
        return Example.from_dict(nlp.make_doc(text.lower()), {"cats": cats})

    train_examples = [to_example(t, lab) for t, lab in all_data]
    optimizer = nlp.initialize(lambda: train_examples)
    for epoch in range(epochs):
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        for batch in minibatch(train_examples, size=16):
            nlp.update(batch, sgd=optimizer, losses=losses)
        print(f"epoch {epoch + 1}: loss {losses.get('textcat', 0.0):.4f}")
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"trained on {len(all_data)} examples -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, nargs="+", required=True)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "models" / "doctype")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=12)
    args = parser.parse_args()
    train(examples(args.fixtures), args.out, args.seed, args.epochs)


if __name__ == "__main__":
    main()
