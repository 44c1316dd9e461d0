#!/usr/bin/env bash
# Runs every test of the project: the Java build with all unit, property and integration tests,
# then the Python training-pipeline tests when the venv can be made (scripts/setup-python.sh).
# Tests that need ../shared (Kodak, training photos) skip with a message when it is absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v mvn >/dev/null || { echo "test.sh: Maven is required (apt-get install maven openjdk-17-jdk-headless)" >&2; exit 2; }
mvn -B -ntp verify "$@"
if [ -d training/tests ]; then
  bash scripts/setup-python.sh
  training/.venv/bin/python -m pytest -q training/tests
fi
