#!/usr/bin/env bash
# The one test command (README and .ci/run call exactly this). Installs what the tests need when missing, then runs
# every test project of the solution. Today the storage tests need only the .NET SDK; later parts add redis-server,
# Azurite and Chromium here.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is required" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Efflux.Orleans.sln -c Release
dotnet test Efflux.Orleans.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
