"""The lock file: every dependency of pyproject.toml pinned to one version that satisfies it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;#]+)")


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        found = PIN.match(line.strip())
        if found:
            pins[canonicalize_name(found[1])] = found[2]
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        names.extend(extra)
    return [Requirement(name) for name in names]


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    """Each dependency pyproject.toml names (the test extra included) has exactly one `==` pin in
    requirements.lock, and the pinned version satisfies the declared range."""
    pins = _locked()
    problems = []
    for requirement in _declared():
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name}: not in requirements.lock (run `make lock`)")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(
                f"{requirement.name}: locked {version} is outside {requirement.specifier}")
    assert not problems, "\n".join(problems)


def test_every_line_of_the_lock_is_an_exact_pin() -> None:
    """The lock pins versions only: no range, URL or editable line that would let an install
    differ from one machine to the next."""
    loose = [line for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#") and not PIN.match(line.strip())]
    assert not loose, loose


def test_make_install_installs_from_the_lock() -> None:
    """`make install` brings pip to a pinned version (a new venv's may be too old for the lock),
    installs the lock's versions and then the project without resolving its dependencies again
    (so nothing newer slips in)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "pip install --quiet pip==$(PIP_VERSION)" in recipe
    assert recipe.index("pip==$(PIP_VERSION)") < recipe.index("-r requirements.lock")
    assert "pip install --quiet -r requirements.lock" in recipe
    assert "pip install --quiet --no-deps -e ." in recipe
