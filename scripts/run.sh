#!/usr/bin/env bash
# Runs the SmartSeal product demo (the README's run command). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build SmartSeal.sln -c Release -nologo -v q
# Options: --tour (scripted walk-through), --duration S, --http-port P, --mqtt-port P, --protocol-tour
exec dotnet tools/SmartSeal.Demo/bin/Release/net10.0/SmartSeal.Demo.dll "$@"
