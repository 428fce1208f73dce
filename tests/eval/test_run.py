"""`make eval` end to end on a tiny world the tests write and serve themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.run import main
from eval.worlds import discover

HERE = Path(__file__).parent


def test_discover_finds_the_demo_and_world_folders() -> None:
    """The demo comes first, then every folder holding a generate.py and a serve.py."""
    names = [w.name for w in discover([HERE])]
    assert names == ["demo", "tiny_world"]


def test_unknown_world_is_refused() -> None:
    """Asking for a world that does not exist says which ones do."""
    with pytest.raises(SystemExit, match="unknown world"):
        main(["--worlds-dir", str(HERE), "--world", "nowhere"])


def test_eval_runs_the_pipeline_on_a_tiny_world(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Generate, serve, import, fetch over HTTP, match, export and score: the two labelled
    positives are found, and the figures are printed and written as JSON."""
    assert main(["--worlds-dir", str(HERE), "--world", "tiny_world",
                 "--results", str(tmp_path)]) == 0
    result = json.loads((tmp_path / "tiny_world.json").read_text(encoding="utf-8"))
    assert "failed" not in result, result
    assert result["fetch"]["summary"] == "1 sources, 5 new articles"
    pooled = result["matched"]["pooled"]
    assert (pooled["tp"], pooled["fn"]) == (2, 0)
    assert result["hard_negatives"]["labelled"] == 1
    assert "accepted + suggested" in capsys.readouterr().out
