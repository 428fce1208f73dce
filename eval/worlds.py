"""Labelled worlds to evaluate on: the demo news site, and every folder holding a
``generate.py`` and a ``serve.py`` (a world written in the safety-2007 format), generated and
served by its own scripts into a temporary folder. Nothing of a world is copied here."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = "demo"
# The shared worlds sit beside the checkout (../shared/worlds); a git worktree is one level
# further down, so both places are looked at.
DEFAULT_WORLD_DIRS = (ROOT / "eval" / "worlds", ROOT.parent / "shared" / "worlds",
                      ROOT.parent.parent / "shared" / "worlds")


@dataclass(frozen=True)
class World:
    """A world to evaluate: the demo (no folder) or a folder with its own scripts."""

    name: str
    folder: Path | None = None


@dataclass(frozen=True)
class ServedWorld:
    """A generated world being served: its files and the tracker's inputs."""

    world: World
    labels: list[dict[str, Any]]
    labels_file: Path
    base_url: str
    campaign_file: Path | None = None  # None: the demo, loaded by `campaign-tracker demo`
    sources_file: Path | None = None
    score_script: Path | None = None


def discover(folders: Sequence[Path] = DEFAULT_WORLD_DIRS) -> list[World]:
    """The demo, then every world folder (one with generate.py and serve.py) under these
    folders, by name; a name seen twice is taken once, from the first folder."""
    worlds = [World(DEMO)]
    seen = {DEMO}
    for folder in folders:
        if not folder.is_dir():
            continue
        for child in sorted(folder.iterdir()):
            if (child / "generate.py").is_file() and (child / "serve.py").is_file() \
                    and child.name not in seen:
                seen.add(child.name)
                worlds.append(World(child.name, child.resolve()))
    return worlds


def run_quiet(command: Sequence[str | Path], *, cwd: Path | None = None,
              env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run a command, return its standard output; raise with its output if it fails."""
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,  # noqa: S603 - our own argument list, no shell
                          text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise StepError(" ".join(str(c) for c in command), done.returncode,
                        (done.stdout + done.stderr).strip())
    return done.stdout


class StepError(RuntimeError):
    """A command that failed, with what it printed."""

    def __init__(self, command: str, code: int, output: str) -> None:
        super().__init__(f"{command} exited {code}: {output[-2000:]}")
        self.command, self.code, self.output = command, code, output


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, seconds: float = 30) -> None:
    """Return once 127.0.0.1:port accepts connections; raise after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nothing answers on 127.0.0.1:{port}")


@contextlib.contextmanager
def served(world: World, workdir: Path, tracker: Path) -> Iterator[ServedWorld]:
    """Generate and serve `world` under `workdir` for the duration of the block."""
    if world.folder is None:
        with _served_demo(world, tracker) as result:
            yield result
    else:
        with _served_folder(world, world.folder, workdir / world.name) as result:
            yield result


@contextlib.contextmanager
def _served_demo(world: World, tracker: Path) -> Iterator[ServedWorld]:
    from campaign.demo_site import LABELS_PATH

    port = free_port()
    server = subprocess.Popen([str(tracker), "demo-site", "--port", str(port)],  # noqa: S603 - our own command
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=os.environ | {"PYTHONPATH": str(ROOT)})
    try:
        wait_for_port(port)
        yield ServedWorld(world, json.loads(LABELS_PATH.read_text(encoding="utf-8")),
                          LABELS_PATH, f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def _served_folder(world: World, folder: Path, out: Path) -> Iterator[ServedWorld]:
    python = sys.executable
    run_quiet([python, "generate.py", "--out", out], cwd=folder)
    output = run_quiet([python, "serve.py", "--dir", out, "--port", "0", "--background"],
                       cwd=folder)
    try:
        base = next((line.split()[-1] for line in output.splitlines()
                     if line.startswith("URL:")), "")
        score = folder / "score.py"
        yield ServedWorld(world, json.loads((out / "labels.json").read_text(encoding="utf-8")),
                          out / "labels.json", base.rstrip("/"),
                          campaign_file=out / "campaign.json",
                          sources_file=out / "sources.local.toml",
                          score_script=score if score.is_file() else None)
    finally:
        run_quiet([python, "serve.py", "--dir", out, "--stop"], cwd=folder)
