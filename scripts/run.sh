#!/usr/bin/env bash
# Runs the SmartSeal product demo (the README's run command). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project tools/SmartSeal.Demo -c Release -- "$@"
