#!/usr/bin/env bash
# Runs every test of the project: the Java build with all unit, property and integration tests (mvn install, so that
# the example projects can use the artifacts it just built), a check that no Java test skipped without an allowed
# reason (scripts/check-skips.py), the example projects that depend on qtk as a user would (scripts/test-clients.sh),
# then the Python training-pipeline tests when the venv can be made (scripts/setup-python.sh).
# Tests that need ../shared (Kodak, training photos) skip with a message starting "needs ../shared: " when it is absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v mvn >/dev/null || { echo "test.sh: Maven is required (apt-get install maven openjdk-17-jdk-headless)" >&2; exit 2; }
started=$(mktemp)
trap 'rm -f "$started"' EXIT
mvn -B -ntp install "$@"
python3 -m unittest discover -s scripts/tests -q
python3 scripts/check-skips.py "$root" "$started"
bash scripts/test-clients.sh -q
if [ -d training/tests ]; then
  bash scripts/setup-python.sh
  training/.venv/bin/python -m pytest -q training/tests
fi
