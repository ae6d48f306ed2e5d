#!/usr/bin/env bash
# Runs every test of the repository (the README's test command). Installs what is missing first.
# Long fuzz, soak and benchmark runs are separate commands (see README.md), not part of this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build SmartSeal.sln -c Release -nologo -v q
# The Node tools beside the code (model-origin comparison) have tests of their own.
node --test edge-face-gate/tools/model-origin/
# Test servers on loopback (PostgreSQL, Mosquitto), stopped again however the tests end.
trap 'bash scripts/services.sh stop' EXIT
eval "$(bash scripts/services.sh start)"
dotnet test SmartSeal.sln -c Release --no-build -nologo -v q --logger "console;verbosity=minimal"
