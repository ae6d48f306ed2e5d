#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks (several minutes). Pass BenchmarkDotNet arguments through,
# e.g. ./scripts/bench.sh --filter '*Token*'. Results land in BenchmarkDotNet.Artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
args=("$@")
[ "${#args[@]}" -eq 0 ] && args=(--filter '*')
exec dotnet run --project benchmarks/SmartSeal.Benchmarks -c Release -- "${args[@]}"
