"""`make eval` end to end on a tiny world the tests write and serve themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaign.coverage.scoring import MODEL_FILE
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


def test_models_dir_scores_the_world_with_its_own_model(tmp_path: Path) -> None:
    """With --models DIR the world's commands score with DIR/<world>.json (there a model that
    finds nothing likely: no positive is found) and the result names that model; a world
    without a model in DIR is reported as failed, not scored with the shipped one."""
    models = tmp_path / "models"
    models.mkdir()
    doubter = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    doubter.update(note="a doubter", bias=-30.0)
    (models / "tiny_world.json").write_text(json.dumps(doubter), encoding="utf-8")
    assert main(["--worlds-dir", str(HERE), "--world", "tiny_world", "--models", str(models),
                 "--results", str(tmp_path)]) == 0
    result = json.loads((tmp_path / "tiny_world.json").read_text(encoding="utf-8"))
    assert (result["matched"]["pooled"]["tp"], result["matched"]["pooled"]["fn"]) == (0, 2)
    assert "a doubter" in result["model"]
    (models / "tiny_world.json").unlink()
    assert main(["--worlds-dir", str(HERE), "--world", "tiny_world", "--models", str(models),
                 "--results", str(tmp_path)]) == 1
    assert "no model" in json.loads((tmp_path / "tiny_world.json").read_text())["failed"]
