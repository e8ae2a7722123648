#!/usr/bin/env bash
# Runs every Heimdall test against real services: installs what is missing, starts PostgreSQL on
# 127.0.0.1, then runs the xunit suite (which starts its own Prometheus servers).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
eval "$(bash scripts/postgres.sh start)"

log="$(mktemp)"
set +e
dotnet test Heimdall.slnx -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for the whole run, summed over the test assemblies.
sum() { { grep -oE "$1: +[0-9]+" "$log" || true; } | awk '{s+=$NF} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
rm -f "$log"
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
    echo "tests: no test ran" >&2
    exit 1
fi
exit "$status"
