#!/usr/bin/env bash
# Installs what the test suite needs, then runs all of it:
#   1. the NativeAOT publish of both binaries (fails on any warning; one shared build stamp),
#   2. every test project (unit, Linux-layer, RPC, integration, browser) with `dotnet test`.
# Needs root (tests create cgroups under the cgroup2 mount and run services as other users).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "test: run as root (the tests create cgroups and drop privileges to other users)" >&2
  exit 1
fi

need=()
command -v gcc >/dev/null || need+=(gcc libc6-dev binutils)
command -v setcap >/dev/null || need+=(libcap2-bin)
# systemd-analyze verifies the unit (dpkg-deb, which builds the Debian package, is in every Debian).
command -v systemd-analyze >/dev/null || need+=(systemd)
# The browser tests drive Debian's chromium through Playwright (its driver ships in the NuGet package; no browser download).
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

build/publish.sh out

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
PROCESSMASTER_AOT_DIR="$PWD/out" dotnet test --solution ProcessMaster.slnx "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line for CI, from the test platform's summary.
passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
skipped=$(grep -E '^\s+skipped: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
