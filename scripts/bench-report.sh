#!/usr/bin/env bash
# The benchmark report: runs the performance suite and writes docs/benchmarks.md (about 15
# minutes; run it on an otherwise idle machine). Each number sits beside its reference measured
# in the same run. Options: QUICK=1 for a short smoke run of the whole chain (numbers meaningless);
# --soak adds a 10-minute soak at 1,000 events/s (Mosquitto + PostgreSQL) with the cloud's RSS at
# its start and end (SOAK_SECONDS to change the length). The hand-written section between the
# "kept by bench-report.sh" markers of docs/benchmarks.md (sizing beyond one machine) is carried
# over into the new report unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
soak=0
for arg in "$@"; do
  case "$arg" in
    --soak) soak=1 ;;
    *) echo "usage: $0 [--soak]" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build SmartSeal.sln -c Release -nologo -v q
eval "$(scripts/services.sh start)"
trap 'scripts/services.sh stop' EXIT

quick="${QUICK:-0}"
out=docs/benchmarks.md
work=$(mktemp -d)
report="$work/report.md"
bench=benchmarks/SmartSeal.CloudBench/bin/Release/net10.0/SmartSeal.CloudBench.dll
if [ "$quick" = 1 ]; then
  load=(--devices 50 --rate 500 --seconds 5 --latency-seconds 3 --raw-insert-rows 20000 --mosquitto-messages 20000); connections=(--connections 200); ledger=(--entries 20000)
  gate=(--collections 20)
else
  load=(--devices 1000 --rate 5000 --seconds 20); connections=(--connections 10000); ledger=(--entries 200000)
  gate=(--collections 200)
fi

{
  echo "# Benchmark report"
  echo
  echo "Written by \`./scripts/bench-report.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), .NET $(dotnet --version)."
  echo "Targets from DESIGN.md §7. Every load runs the whole path: MQTT (QoS 1), MAC check, dedupe, store, the"
  echo "domain handlers (token reconciliation, a hash-chained ledger entry per stamp with the application's facts),"
  echo "acknowledgement. Devices are the bench's MQTT clients; each lock stamps under a token the cloud issued"
  echo "through the real approval flow."
  echo
  echo "## Ingest, connections and their references"
} > "$report"

echo "== ingest: embedded broker + SQLite"
dotnet "$bench" "${load[@]}" "${connections[@]}" --markdown "$report"
echo "== ingest: Mosquitto + PostgreSQL"
dotnet "$bench" "${load[@]}" --broker mosquitto --database postgres --markdown "$report"

echo "== ingest: Mosquitto + PostgreSQL, two cloud instances"
# (the references — raw Mosquitto, raw insert — were measured in the run before)
dotnet "$bench" "${load[@]}" --broker mosquitto --database postgres --instances 2 --raw-insert-rows 0 --mosquitto-messages 0 --markdown "$report"

echo "== ingest of position reports: Mosquitto + PostgreSQL"
# (a fleet's tracks: the bulk of the traffic in the sizing below; references measured above)
dotnet "$bench" "${load[@]}" --broker mosquitto --database postgres --events position --raw-insert-rows 0 --mosquitto-messages 0 --markdown "$report"

if [ "$soak" = 1 ]; then
  echo "== soak: Mosquitto + PostgreSQL, ${SOAK_SECONDS:-600} s at 1000/s"
  {
    echo
    echo "## Soak (\`./scripts/bench-report.sh --soak\`)"
    echo
    echo "The cloud's resident memory at the start and the end of ${SOAK_SECONDS:-600} s at 1,000 stamps/s after the phases above (target: flat)."
  } >> "$report"
  dotnet "$bench" "${load[@]}" --broker mosquitto --database postgres --soak-seconds "${SOAK_SECONDS:-600}" --soak-rate 1000 --raw-insert-rows 0 --mosquitto-messages 0 --markdown "$report"
fi

echo "== gate → compartment latency"
{
  echo
  echo "## Gate → compartment (DESIGN.md §7: p95 ≤ 300 ms)"
  echo
  echo "From the gate's signed face-match decision published on MQTT to the real cabinet firmware (in the"
  echo "bench process, fake hardware, a 2 ms main loop) releasing the latch: ingest, gate decision, GateDispatcher,"
  echo "cabinet use token, signed dispense command. Each collection is its own approved application; the seal is"
  echo "taken and returned between collections (not measured)."
} >> "$report"
dotnet "$bench" gate "${gate[@]}" --markdown "$report"
dotnet "$bench" gate "${gate[@]}" --database postgres --markdown "$report"

echo "== ledger append and verify"
{
  echo
  echo "## Ledger append and verify (SQLite, scratch data directory)"
  echo
  # Development: the scratch ledger generates its own signing and time-stamping keys (Production requires them).
  DOTNET_ENVIRONMENT=Development SmartSeal__DataDirectory="$work/ledger" SmartSeal__MasterKey=$(printf '%064d' 7) \
    dotnet cloud/SmartSeal.Cloud/bin/Release/net10.0/smartseal-cloud.dll ledger bench "${ledger[@]}" | grep '^|'
} >> "$report"

echo "== face pipeline"
{
  echo
  echo "## Face pipeline (edge gate, ONNX Runtime, one intra-op thread)"
  echo
  echo '```'
  dotnet edge-face-gate/SmartSeal.EdgeFaceGate/bin/Release/net10.0/SmartSeal.EdgeFaceGate.dll benchmark
  echo '```'
} >> "$report"

echo "== token verification and protocol (BenchmarkDotNet)"
job=(--job short); [ "$quick" = 1 ] && job=(--job dry)
rm -rf BenchmarkDotNet.Artifacts/results
dotnet benchmarks/SmartSeal.Benchmarks/bin/Release/net10.0/SmartSeal.Benchmarks.dll --filter '*Token*' "${job[@]}" > "$work/bdn.log"
{
  echo
  echo "## Use-token verification on the device code (BenchmarkDotNet)"
  echo
  cat BenchmarkDotNet.Artifacts/results/*-report-github.md
} >> "$report"

# The hand-written sizing section survives regeneration: copied from the old report, markers included.
if [ -f "$out" ] && grep -q '^<!-- kept by bench-report.sh: begin -->' "$out"; then
  { echo; sed -n '/^<!-- kept by bench-report.sh: begin -->/,/^<!-- kept by bench-report.sh: end -->/p' "$out"; } >> "$report"
fi

mkdir -p docs
cp "$report" "$out"
echo "wrote $out"
