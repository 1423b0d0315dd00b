#!/usr/bin/env bash
# The main job: make the demo dataset (if it is not there yet) and show one training batch from it.
source "$(dirname "$0")/env.sh"
koemorph_demo --out data/demo --show-batch "$@"
