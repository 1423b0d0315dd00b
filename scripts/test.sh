#!/usr/bin/env bash
# Runs every test of koemorph: the library must be exactly what the notebooks export, and every
# notebook (slow tests included) must run top to bottom without error.
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
[ "$failed" -eq 0 ]
