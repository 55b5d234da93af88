#!/usr/bin/env bash
# The whole comparison in one command: Taskloop, Python asyncio and plain virtual threads on the
# same workloads (issue 7), interleaved, repeated; prints the table of medians and ratios.
# Options go to bench/compare.py (--reps N, --only w1,w6,...; --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile
exec python3 bench/compare.py "$@"
