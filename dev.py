#!/usr/bin/env python3
"""One-command set-up for newcomers and CI: `python3 dev.py run` / `python3 dev.py test`.

`run` imports the sample plan into SQLite if the database holds no plan yet, then starts the
server; `run ARGS…` runs
`python -m bot ARGS…` instead (e.g. `run chat` for the console).

Creates .venv on first use and reinstalls the pinned requirements whenever
requirements*.txt change, then runs the project inside that environment.
Written in Python (not make or bash) so it works on a school's Windows PC too.
"""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements-dev.txt"
STAMP = VENV / ".requirements.sha256"
EXAMPLE_PLAN = ROOT / "examples" / "sample_plan.docx"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    exe = "python.exe" if os.name == "nt" else "python"
    return VENV / scripts / exe


def requirements_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("requirements*.txt")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment() -> Path:
    python = venv_python()
    if not python.exists():
        print("Creating virtual environment in .venv …", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    wanted = requirements_digest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("Installing pinned requirements …", flush=True)
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)])
        STAMP.write_text(wanted)
    return python


def ensure_browser() -> None:
    """The browser tests drive Debian's Chromium through Playwright; install it where we may.
    Where we may not (no apt, not root), those tests skip and say why."""
    if shutil.which("chromium") and Path("/usr/share/fonts/truetype/wqy").exists():
        return
    if not shutil.which("apt-get") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    print("Installing Chromium for the browser tests (apt-get) …", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
    # A small CJK font, so the screenshots the tests save show the Chinese pages legibly.
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium", "fonts-wqy-microhei"]
    if subprocess.call(install, **quiet) != 0 and subprocess.call(["apt-get", "update"], **quiet) == 0:
        subprocess.call(install, **quiet)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench"}:
        print("usage: python3 dev.py run | test [pytest args] | bench", file=sys.stderr)
        return 2
    python = str(ensure_environment())
    command, rest = argv[0], argv[1:]
    if command == "run":
        if rest:
            return subprocess.call([python, "-m", "bot", *rest], cwd=ROOT)
        # The main job on the embedded default: the sample plan goes only into an empty database, so the
        # office's corrections and its own plan are never undone by a restart; then serve.
        imported = subprocess.call([python, "-m", "bot", "plan", "import", "--only-into-empty", "--name", "示例计划",
                                    str(EXAMPLE_PLAN)], cwd=ROOT)
        return imported or subprocess.call([python, "-m", "bot", "serve"], cwd=ROOT)
    if command == "bench":
        return subprocess.call([python, "-m", "bench", *rest], cwd=ROOT)
    ensure_browser()
    return subprocess.call([python, "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
