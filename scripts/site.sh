#!/usr/bin/env bash
# Builds the docs website into _docs/ without Quarto: nbdev_proc_nbs's processing of the notebooks (into _proc/), then
# one static HTML page per notebook of nbs/sidebar.yml, showing the outputs saved in it (no notebook is re-run).
# With --check, also opens every page in headless Chromium through Playwright and checks it (scripts/browser_test.py;
# installs Debian's chromium with apt-get when it is missing). Open _docs/index.html, or: python -m http.server -d _docs
# With Quarto installed, stock `nbdev_docs` builds the Quarto site instead (as .github/workflows/deploy.yaml does).
source "$(dirname "$0")/env.sh"
python scripts/build_site.py
if [ "${1:-}" = "--check" ]; then python scripts/browser_test.py --install; fi
