"""Evaluate `find_times` on TBAQ-cleaned (TempEval-3 task A style figures).

Usage: .venv/bin/python scripts/timex_dev.py [--data DIR] [--errors N] [--dump FILE]

Body text = TITLE (if any) + "\\n\\n" + TEXT with tags removed; gold spans are
offsets into that body. The DCT TIMEX3 is the anchor and is not scored.
Never point this at te3-platinum: that is the held-out test set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from newsgraph.extract.timex import find_times
from newsgraph.nlp import load_pipeline

DEFAULT_DATA = Path("/work/shared/data/tempeval3/TBAQ-cleaned")


@dataclass
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


def _flatten(elem: ET.Element, parts: list[str], gold: list[Gold], offset: int) -> int:
    """Append the element's text to `parts`, recording TIMEX3 offsets."""
    start = offset
    if elem.text:
        parts.append(elem.text)
        offset += len(elem.text)
    for child in elem:
        offset = _flatten(child, parts, gold, offset)
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    if elem.tag == "TIMEX3":
        # text is filled in once the whole body is joined
        gold.append(Gold(start, offset, "", elem.get("type", ""), elem.get("value", "")))
    return offset


def parse_tml(path: Path) -> tuple[str, dt.date | None, list[Gold]]:
    root = ET.parse(path).getroot()
    dct: dt.date | None = None
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME":
            try:
                dct = dt.date.fromisoformat(t.get("value", "")[:10])
            except ValueError:
                dct = None
            break
    parts: list[str] = []
    gold: list[Gold] = []
    offset = 0
    title = root.find("TITLE")
    if title is not None:
        offset = _flatten(title, parts, [], offset)  # titles carry no gold timexes here
        parts.append("\n\n")
        offset += 2
    text = root.find("TEXT")
    if text is not None:
        _flatten(text, parts, gold, offset)
    body = "".join(parts)
    for g in gold:
        g.text = body[g.start : g.end]
    return body, dct, gold


def prf(correct: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _fmt(scores: tuple[float, float, float]) -> str:
    p, r, f = scores
    return f"P={p:.3f} R={r:.3f} F1={f:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors of each kind")
    ap.add_argument("--dump", type=Path, help="write all gold/pred pairs as TSV")
    args = ap.parse_args(argv)
    if "platinum" in str(args.data):
        print("refusing to evaluate on the test set", file=sys.stderr)
        return 2

    nlp = load_pipeline()
    files = sorted(args.data.rglob("*.tml"))
    n_gold = n_pred = strict = relaxed = type_ok = value_ok = 0
    fps: list[str] = []
    fns: list[str] = []
    bad_values: list[str] = []
    dump = []
    for path in files:
        body, dct, gold = parse_tml(path)
        preds = find_times(nlp(body), dct)
        n_gold += len(gold)
        n_pred += len(preds)
        used: set[int] = set()
        for g in gold:
            match = None
            for i, p in enumerate(preds):
                if i not in used and p["start"] < g.end and g.start < p["end"]:
                    match = i
                    break
            ctx = body[max(0, g.start - 40) : g.end + 40].replace("\n", " ")
            if match is None:
                fns.append(f"FN {g.type:8} {g.value:14} [{g.text}]  ..{ctx}..")
                dump.append(f"{path.name}\t{g.text}\t{g.type}\t{g.value}\t\t\t")
                continue
            used.add(match)
            p = preds[match]
            relaxed += 1
            strict += p["start"] == g.start and p["end"] == g.end
            type_ok += p["type"] == g.type
            value_ok += p["value"] == g.value
            dump.append(f"{path.name}\t{g.text}\t{g.type}\t{g.value}\t{p['text']}\t{p['type']}\t{p['value']}")
            if p["value"] != g.value or p["type"] != g.type or p["text"] != g.text:
                bad_values.append(
                    f"gold [{g.text}] {g.type} {g.value} | pred [{p['text']}] {p['type']} "
                    f"{p['value']}  dct={dct}  ..{ctx}.."
                )
        for i, p in enumerate(preds):
            if i not in used:
                ctx = body[max(0, p["start"] - 40) : p["end"] + 40].replace("\n", " ")
                fps.append(f"FP {p['type']:8} {p['value']:14} [{p['text']}]  ..{ctx}..")
                dump.append(f"{path.name}\t\t\t\t{p['text']}\t{p['type']}\t{p['value']}")

    if args.errors:
        for title, items in (("FALSE POSITIVES", fps), ("FALSE NEGATIVES", fns), ("MISMATCHES", bad_values)):
            print(f"== {title} ({len(items)})")
            for line in items[: args.errors]:
                print(line)
    if args.dump:
        args.dump.write_text("\n".join(dump) + "\n", encoding="utf-8")

    print(f"files={len(files)} gold={n_gold} pred={n_pred}")
    print("strict  span " + _fmt(prf(strict, n_pred, n_gold)))
    print("relaxed span " + _fmt(prf(relaxed, n_pred, n_gold)))
    print(f"type accuracy (of relaxed matches) = {type_ok / relaxed if relaxed else 0:.3f}")
    print("value " + _fmt(prf(value_ok, n_pred, n_gold)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
