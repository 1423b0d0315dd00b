#!/usr/bin/env bash
# Builds the docs website into _docs/ without Quarto: nbdev's processing of the notebooks listed in nbs/sidebar.yml
# (into _proc/), then one static HTML page per notebook, showing the outputs saved in it (no notebook is re-run).
# With --check, also opens every page in headless Chromium and checks it (scripts/browser_test.py; installs Debian's
# chromium with apt-get when it is missing). Open _docs/index.html, or serve it: python -m http.server -d _docs
source "$(dirname "$0")/env.sh"
python scripts/build_site.py
if [ "${1:-}" = "--check" ]; then python scripts/browser_test.py --install; fi
