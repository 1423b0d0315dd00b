# Sourced by scripts/main.sh and scripts/test.sh: creates (or reuses) the project's own virtual
# environment in .venv, installs koemorph with its pinned dependencies when they changed, and puts
# .venv/bin first on PATH. Needs only Python >= 3.10 on the machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -c 'import sys; assert sys.version_info >= (3, 10), "koemorph needs Python 3.10 or newer"'
  echo "Creating the virtual environment .venv ..."
  "$python" -m venv .venv
fi
wanted=$(cat settings.ini setup.py constraints.txt | sha1sum | cut -d' ' -f1)
if [ "$(cat .venv/.koemorph-installed 2>/dev/null)" != "$wanted" ]; then
  echo "Installing koemorph and its dependencies into .venv (first time: a few minutes) ..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -c constraints.txt -e ".[dev]"
  echo "$wanted" > .venv/.koemorph-installed
fi
export PATH="$PWD/.venv/bin:$PATH"
export MPLBACKEND=${MPLBACKEND:-Agg}
