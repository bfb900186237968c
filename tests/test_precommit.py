"""The pre-commit hooks, run by real pre-commit: a commit with residue is refused, the fixer cleans it, then it passes.

pre-commit installs a hook repository from git, so the working tree of this
project is copied into a temporary git repository and committed there. The hook
environment is installed once per test session (``PRE_COMMIT_HOME`` is shared),
with pip and the package index. Without git or the index the test is skipped,
with the reason; under CI (``CI=true``) it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_check import BRIDGE, CLEAN

pytestmark = pytest.mark.precommit

#: What pip says when it cannot reach the package index.
NO_NETWORK = re.compile(
    r"NewConnectionError|Temporary failure in name resolution|Name or service not known|Network is unreachable"
    r"|Max retries exceeded|ConnectTimeout|ProxyError|No matching distribution found"
)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "cleaner tests", "GIT_AUTHOR_EMAIL": "tests@cleaner.invalid",
    "GIT_COMMITTER_NAME": "cleaner tests", "GIT_COMMITTER_EMAIL": "tests@cleaner.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def skip_unless_ci(reason: str):
    """Skip with ``reason`` on a developer's machine; fail under CI, where this test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the pre-commit test)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def environment(tmp_path_factory):
    """The environment for git and pre-commit: a fixed identity, no user config, one PRE_COMMIT_HOME per session."""
    if shutil.which("git") is None:
        skip_unless_ci("git is not installed")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        skip_unless_ci("pre-commit is not installed (pip install -e '.[test]')")
    return os.environ | GIT_IDENTITY | {"PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}


def run(args: list[str], cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode:
        pytest.fail(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory, environment) -> tuple[Path, str]:
    """A git repository holding this project's working tree, committed: its path and commit."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True)
    if listed.returncode:
        skip_unless_ci(f"{ROOT} is not a git checkout: {listed.stderr.strip()}")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.stdout.split("\0")):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    run(["git", "init", "-q"], repo, environment)
    run(["git", "add", "-A"], repo, environment)
    run(["git", "commit", "-q", "--no-gpg-sign", "-m", "cleaner as a hook repository"], repo, environment)
    return repo, run(["git", "rev-parse", "HEAD"], repo, environment).stdout.strip()


@pytest.fixture
def newsroom(tmp_path, hook_repo, environment) -> Path:
    """A git repository of articles whose pre-commit config uses both hooks, installed."""
    repo, commit = hook_repo
    work = tmp_path / "newsroom"
    (work / "corpus").mkdir(parents=True)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {commit}\n    hooks:\n      - id: cleaner-check\n      - id: cleaner-fix\n"
    )
    run(["git", "init", "-q"], work, environment)
    pre_commit = [sys.executable, "-m", "pre_commit"]
    run(pre_commit + ["install"], work, environment)
    installed = run(pre_commit + ["install-hooks"], work, environment, check=False)
    if installed.returncode:
        output = installed.stdout + installed.stderr
        network = [line.strip() for line in output.splitlines() if NO_NETWORK.search(line)]
        if network and not os.environ.get("CI"):
            pytest.skip(f"pre-commit could not install the hook environment; is the package index reachable? {network[0]}")
        pytest.fail(f"pre-commit install-hooks failed:\n{output}")
    return work


def test_a_commit_with_residue_is_refused_and_passes_once_fixed(newsroom, environment):
    (newsroom / "corpus" / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (newsroom / "corpus" / "orchard.txt").write_text(CLEAN, encoding="utf-8")
    (newsroom / "corpus" / "records.jsonl").write_text('{"id": 7, "text": "Kiosk Closes\\n\\nAdvertisement"}\n')
    (newsroom / "NOTES.md").write_text("Advertisement\n")  # not a .txt or .jsonl file: left alone
    (newsroom / "-brief.txt").write_text(BRIDGE, encoding="utf-8")  # a name that reads like an option
    run(["git", "add", "-A"], newsroom, environment)

    refused = run(["git", "commit", "-m", "Add articles"], newsroom, environment, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "corpus/bridge.txt:7:1: ads.marker: would remove 'Advertisement'" in output
    assert "corpus/records.jsonl:1:15: ads.marker" in output and "-brief.txt:7:1: ads.marker" in output
    assert "Fixing corpus/bridge.txt" in output and "Fixing corpus/records.jsonl" in output
    assert "orchard" not in output and "NOTES" not in output
    assert "Advertisement" not in (newsroom / "corpus" / "bridge.txt").read_text(encoding="utf-8")
    assert (newsroom / "NOTES.md").read_text() == "Advertisement\n"

    run(["git", "add", "-A"], newsroom, environment)
    passed = run(["git", "commit", "-m", "Add articles"], newsroom, environment, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert run(["git", "log", "--oneline"], newsroom, environment).stdout.count("\n") == 1
