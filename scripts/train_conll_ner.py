"""Train a CoNLL-2003 named-entity recogniser with spaCy on the CPU.

Usage: .venv/bin/python scripts/train_conll_ner.py [--data DIR] [--out DIR] [--max-steps N]

This is the experiment behind the plan for the CoNLL goal in
docs/evaluation.md: the rule-free small English pipeline scores about 65 F1
on eng.testa with the issue's type mapping, because its OntoNotes labels and
conventions differ from CoNLL's (sports clubs named after places are ORG,
nationalities are MISC). A tok2vec + NER pipeline trained on eng.train alone,
spaCy's "efficiency" recipe, no pretrained vectors, evaluated on eng.testa
(the development split) while it trains, shows what a trained component
would bring. eng.testb is never read here.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "conll2003"


def _spacy(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "spacy", *args], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with eng.train and eng.testa")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/conll-ner"))
    parser.add_argument("--max-steps", type=int, default=12000)
    args = parser.parse_args(argv)
    for name in ("eng.train", "eng.testa"):
        if not (args.data / name).is_file():
            print(f"{args.data / name} not found", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, folder in (("eng.train", "train"), ("eng.testa", "dev")):
            (work / folder).mkdir()
            # -n 10: ten sentences a document, as spaCy's converter recommends for CoNLL.
            _spacy("convert", str(args.data / name), str(work / folder), "-c", "ner", "-n", "10")
        config = work / "config.cfg"
        _spacy("init", "config", str(config), "-l", "en", "-p", "ner", "-o", "efficiency")
        _spacy(
            "train",
            str(config),
            "--paths.train",
            str(work / "train" / "eng.spacy"),
            "--paths.dev",
            str(work / "dev" / "eng.spacy"),
            "--training.eval_frequency",
            "1000",
            "--training.max_steps",
            str(args.max_steps),
            "--training.patience",
            "4000",
            "--output",
            str(args.out),
        )
    print(f"best model on eng.testa: {args.out / 'model-best'} (scores in its meta.json)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
