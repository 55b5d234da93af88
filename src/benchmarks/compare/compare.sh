#!/usr/bin/env bash
# The whole comparison in one command: Taskloop, Python asyncio and plain virtual threads on the
# same workloads (issue 7), interleaved, repeated; prints the table of medians and ratios.
# Options go to compare.py (--reps N, --only w1,w6,...; --help).
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -B -q compile -pl src/benchmarks -am
exec python3 src/benchmarks/compare/compare.py "$@"
