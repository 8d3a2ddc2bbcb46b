#!/usr/bin/env bash
# Publishes `processmaster` and `pmctl` as NativeAOT linux-x64 executables into out/ (or $1),
# both carrying ONE build stamp (host + time computed here, once, and passed to both publishes).
# Fails on any build, trim or AOT warning.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out}"

# NativeAOT links with the system C toolchain. Debian's base image has it; install if missing.
if ! command -v gcc >/dev/null || ! command -v objcopy >/dev/null || [ ! -e /usr/include/stdio.h ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq gcc libc6-dev binutils >/dev/null
  else
    echo "publish: NativeAOT needs gcc, libc6-dev and binutils; install them (apt-get install gcc libc6-dev binutils)" >&2
    exit 1
  fi
fi

host="$(hostname)"
time="$(date -u +'%Y-%m-%d %H:%M:%S.%3N')"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for project in ProcessMaster.Daemon ProcessMaster.Cli; do
  if ! dotnet publish "src/$project/$project.csproj" -c Release -r linux-x64 -o "$out" -warnaserror \
        "-p:BuildHost=$host" "-p:BuildTime=$time" >"$log" 2>&1; then
    cat "$log" >&2
    echo "publish: $project failed" >&2
    exit 1
  fi
  # Belt and braces: the build treats warnings as errors, but say so loudly if any slipped through.
  if grep -E ': warning [A-Z]+[0-9]+' "$log" >/dev/null; then
    grep -E ': warning [A-Z]+[0-9]+' "$log" | sort -u >&2
    echo "publish: $project produced warnings" >&2
    exit 1
  fi
done
rm -f "$out"/*.dbg
for bin in processmaster pmctl; do
  printf '%-14s %6s KiB\n' "$bin" "$(( $(stat -c %s "$out/$bin") / 1024 ))"
done
"$out/processmaster" --version
