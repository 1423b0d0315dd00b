#!/usr/bin/env bash
# Runs every test of koemorph: the library must be exactly what the notebooks export, every notebook
# (slow tests included) must run top to bottom without error, and the docs site built from the notebooks
# must show every page whole in a browser (titles, figures, no error outputs, no broken links).
source "$(dirname "$0")/env.sh"
# nbdev_test runs two notebooks side by side on this 2-core machine: one math thread each keeps torch's
# thread pools from oversubscribing the cores (which stalls them).
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}

echo "== koemorph/ is what nbdev_export writes from nbs/"
nbdev_export
if git rev-parse --git-dir >/dev/null 2>&1 && [ -n "$(git status --porcelain -- koemorph)" ]; then
  git status --short -- koemorph
  echo "koemorph/ differs from the notebooks' export: edit nbs/*.ipynb, run nbdev_export, commit both."
  exit 1
fi

echo "== README.md is what nbs/index.ipynb gives"
python scripts/readme.py --check

echo "== nbdev_test over all notebooks (slow tests included)"
notebooks=$(ls nbs/*.ipynb | grep -vc '/_')
start=$(date +%s)
if nbdev_test --flags slow --n_workers 2 --timing 2>&1 | tee .venv/last-test.log; then
  failed=0
else
  failed=$(grep -cP '^\t.*\.ipynb$' .venv/last-test.log || true)
  [ "$failed" -gt 0 ] || failed=$notebooks
fi
echo "nbdev_test took $(( $(date +%s) - start )) s"
echo "notebooks: $(( notebooks - failed )) passed, $failed failed"

echo "== docs site: built without Quarto from the saved outputs, every page checked in headless Chromium"
pages=$(grep -c '\.ipynb' nbs/sidebar.yml)
start=$(date +%s)
rm -f .venv/last-site.log
if python scripts/build_site.py && python scripts/browser_test.py --install 2>&1 | tee .venv/last-site.log; then
  bad_pages=0
else
  bad_pages=$(grep -oP '^pages: \d+ passed, \K\d+(?= failed)' .venv/last-site.log 2>/dev/null || true)
  [ -n "$bad_pages" ] && [ "$bad_pages" -gt 0 ] || bad_pages=$pages
fi
echo "docs site took $(( $(date +%s) - start )) s"

echo "== summary: notebooks $(( notebooks - failed ))/$notebooks ran, site pages $(( pages - bad_pages ))/$pages passed the browser checks"
echo "tests: $(( notebooks - failed + pages - bad_pages )) passed, $(( failed + bad_pages )) failed"
[ "$failed" -eq 0 ] && [ "$bad_pages" -eq 0 ]
