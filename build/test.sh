#!/usr/bin/env bash
# Installs what the test suite needs, then runs all of it:
#   1. the NativeAOT publish of both binaries (fails on any warning; one shared build stamp),
#   2. every test project (unit, Linux-layer, integration) with `dotnet test`.
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
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

build/publish.sh out
PROCESSMASTER_AOT_DIR="$PWD/out" dotnet test --solution ProcessMaster.slnx "$@"
