#!/usr/bin/env bash
# Runs every test of koemorph: the library must be exactly what the notebooks export, every notebook
# (slow tests included) must run top to bottom without error, and the docs site built from the notebooks
# must show every page whole in a browser (titles, figures, no error outputs, no broken links), which a planted-fault
# self-test of the browser checks proves they would notice.
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

echo "== the notebooks stay lessons: exported cells of at most 40 lines, library lines of at most 120 characters,"
echo "   no module importing from a later notebook"
python scripts/lesson_check.py

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

echo "== nbdev_proc_nbs over every notebook: nbdev's docs processing (show_doc, links) may fail on no cell"
start=$(date +%s)
if python scripts/build_site.py --proc-only --force; then proc_failed=0; else proc_failed=1; fi
echo "nbdev_proc_nbs took $(( $(date +%s) - start )) s"

echo "== docs site: built without Quarto from _proc/ and the saved outputs, every page checked in headless Chromium"
pages=$(grep -c '\.ipynb' nbs/sidebar.yml)
start=$(date +%s)
rm -f .venv/last-site.log
if [ "$proc_failed" -eq 0 ] && python scripts/build_site.py && python scripts/browser_test.py --install 2>&1 | tee .venv/last-site.log; then
  bad_pages=0
else
  bad_pages=$(grep -oP '^pages: \d+ passed, \K\d+(?= failed)' .venv/last-site.log 2>/dev/null || true)
  [ -n "$bad_pages" ] && [ "$bad_pages" -gt 0 ] || bad_pages=$pages
fi
echo "docs site took $(( $(date +%s) - start )) s"

echo "== the browser checks catch planted faults (one of each kind, each in its own page of a copy of the site)"
if [ "$bad_pages" -lt "$pages" ] && python scripts/browser_test.py --self-test; then self_failed=0; else self_failed=1; fi

echo "== summary: notebooks $(( notebooks - failed ))/$notebooks ran, docs processing $(( 1 - proc_failed ))/1,"\
     "site pages $(( pages - bad_pages ))/$pages passed the browser checks, browser self-test $(( 1 - self_failed ))/1"
echo "tests: $(( notebooks - failed + pages - bad_pages + 2 - proc_failed - self_failed )) passed,"\
     "$(( failed + bad_pages + proc_failed + self_failed )) failed"
[ "$failed" -eq 0 ] && [ "$bad_pages" -eq 0 ] && [ "$proc_failed" -eq 0 ] && [ "$self_failed" -eq 0 ]
