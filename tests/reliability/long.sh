#!/usr/bin/env bash
# The long reliability run (issue 16, docs/reliability.md): 100 daemon kills at random points, full-size floods, and
# every other test a row of docs/reliability.md names. CI runs the same classes with a small bounded count.
#   tests/reliability/long.sh                      # 100 kills, a random seed (printed; a failure names it)
#   PM_RELIABILITY_SEED=1234 tests/reliability/long.sh   # replay a run
#   PM_RELIABILITY_ITERATIONS=500 tests/reliability/long.sh
# Needs root (cgroups, tmpfs mounts) and gcc (the clock shim). Takes about 40-60 minutes on a loaded 2-core host.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
  echo "long.sh: run as root (the tests create cgroups and mount a small tmpfs)" >&2
  exit 1
fi
command -v gcc >/dev/null || { echo "long.sh: gcc is needed (apt-get install gcc libc6-dev)" >&2; exit 1; }

export PM_RELIABILITY_ITERATIONS="${PM_RELIABILITY_ITERATIONS:-100}"
export PM_RELIABILITY_LONG=1
dotnet build ProcessMaster.slnx -v q
exec dotnet test --project tests/ProcessMaster.Integration.Tests --no-build -- \
  --filter-class 'ProcessMaster.Integration.Tests.Reliability.*' \
  --filter-class '*.CaptureAcrossRestartsTests' \
  --filter-class '*.AdoptionTests' \
  --filter-class '*.DiskFullTests' \
  --filter-class '*.FdExhaustionTests' \
  --filter-class '*.RpcRobustnessTests' \
  --filter-class '*.SocketStarvationTests' \
  --filter-class '*.LineDeadlineTests' \
  --filter-class '*.HandshakeDeadlineTests' \
  --filter-class '*.PasswordFloodTests' \
  --filter-class '*.ThousandServicesTests' \
  "$@"
