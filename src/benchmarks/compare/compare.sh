#!/usr/bin/env bash
# The whole comparison in one command: Taskloop beside Python asyncio, plain virtual threads, Kotlin
# coroutines and Node.js on the same workloads (issues 7 and 15), interleaved, repeated; prints the table
# of medians, each subject ÷ the best peer, and the verdict of every target.
# Needs JDK 25, python3 and node (18+) on this machine; compiles the benchmarks and the Kotlin twin first.
# Options go to compare.py (--help), e.g.:
#   --reps N                      repetitions (default 3)
#   --only w1,w2,w3               some workload groups (w1 w2 w3 overhead w4 w5 w6 group)
#   --runtimes taskloop,kotlin    some runtimes (taskloop taskloop-lc continuations asyncio vthreads kotlin node;
#                                 default all: Taskloop on each backend, the bare-continuation ceiling, four peers)
#   --backend loop-carrier        the "taskloop" runs on the LOOP_CARRIER backend too (default virtual-threads)
#   --busy                        W1 and W2 again beside a spinner keeping about one core busy: quiet and busy side by side
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -B -q compile -pl src/benchmarks,src/benchmarks/kotlin -am
exec python3 src/benchmarks/compare/compare.py "$@"
