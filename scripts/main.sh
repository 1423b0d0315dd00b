#!/usr/bin/env bash
# The main job: make the demo dataset in data/demo (if it is not there yet), train on it with the default
# configuration (runs/demo), evaluate the best checkpoint on the demo test files next to the mean pose, and
# write one test file's prediction (JSONL + picture). Extra arguments go to koemorph_train_demo, e.g.
#   bash scripts/main.sh --metrics-json runs/demo/metrics.json     # also write the metrics as JSON
#   bash scripts/main.sh --fresh                                   # train again from scratch
source "$(dirname "$0")/env.sh"
koemorph_train_demo --data data/demo --run runs/demo "$@"
