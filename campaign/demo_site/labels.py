"""Regenerate ``labels.json`` from the article data: ``python -m campaign.demo_site.labels``."""

from __future__ import annotations

import json

from . import LABELS_PATH
from .articles import build_labels


def dumps() -> str:
    return json.dumps(build_labels(), ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    LABELS_PATH.write_text(dumps(), encoding="utf-8")
    print(f"wrote {LABELS_PATH}")  # noqa: T201


if __name__ == "__main__":
    main()
