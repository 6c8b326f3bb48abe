#!/usr/bin/env bash
# The one test command (README and .ci/run call exactly this). Installs what the tests need when missing, then runs
# every test project of the solution. The cluster tests need redis-server and Azurite; the /ui page tests need Chromium.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is required" >&2
  exit 1
fi

# Servers the tests start on free loopback ports: installed here when missing (the tests fail, not skip, without them).
install() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
if ! command -v redis-server >/dev/null 2>&1; then
  echo "test.sh: installing redis-server"
  install apt-get update -qq
  install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

if ! command -v azurite-blob >/dev/null 2>&1; then
  echo "test.sh: installing Azurite (npm)"
  if ! command -v npm >/dev/null 2>&1; then
    install apt-get update -qq
    install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  install npm install -g --silent azurite >/dev/null
fi

# The page tests drive the system Chromium through Playwright (Playwright's own browser download cannot run here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing chromium"
  install apt-get update -qq
  install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# The service benchmark's second peer (bench/README.md): not started by the tests, installed here so that a machine set
# up by this command also runs `Efflux.Bench service`.
if ! command -v nats-server >/dev/null 2>&1; then
  echo "test.sh: installing nats-server"
  install apt-get update -qq
  install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nats-server >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Efflux.Orleans.sln -c Release
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# One test project at a time (-m:1): the service and grain suites start silos and SIGKILL them on timers,
# and two such suites at once on a 2-core machine starve their heartbeats.
dotnet test Efflux.Orleans.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" "$@" | tee "$log" || status=$?
passed=$( (grep -E '^\s+Passed:\s+[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -E '^\s+Failed:\s+[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
# The failures again at the end, where a CI log that keeps only its tail still shows them.
if [ "$failed" -ne 0 ]; then
  echo "Failed tests:"
  awk '/^[[:space:]]+Failed [^:]+\[/ {show=1; n=0} /^[[:space:]]+(Passed|Skipped) [^:]+\[/ {show=0} show && n++ < 30' "$log"
fi
echo "$passed passed, $failed failed"
if [ "$passed" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
