#!/usr/bin/env bash
# Builds the Debian package from the NativeAOT binaries (build/publish.sh), with dpkg-deb; no .NET on the target.
#   packaging/build-deb.sh [--bin DIR] [--version X.Y.Z] [--out DIR]
# DIR defaults to out/ (where build/publish.sh puts processmaster and pmctl); the package lands in --out (default
# out/) as processmaster_VERSION_amd64.deb. Man pages and completions are generated from the binaries' own --help.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=out
version=$(cat packaging/VERSION)
dest=out
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --out) dest=$2; shift 2 ;;
    *) echo "build-deb: unknown argument $1; usage: packaging/build-deb.sh [--bin DIR] [--version X.Y.Z] [--out DIR]" >&2; exit 2 ;;
  esac
done
for b in processmaster pmctl; do
  [ -x "$bin/$b" ] || { echo "build-deb: $bin/$b is missing; run build/publish.sh $bin first" >&2; exit 1; }
done
if ! [[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]]; then
  echo "build-deb: version \"$version\" is not a Debian version (digits first, then letters, digits, . + ~ -)" >&2; exit 2
fi
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
install -d -m 0755 "$stage/DEBIAN" "$stage/usr/bin" "$stage/etc/processmaster/services.d" "$stage/lib/systemd/system" \
  "$stage/usr/lib/tmpfiles.d" "$stage/usr/share/bash-completion/completions" "$stage/usr/share/zsh/vendor-completions" \
  "$stage/usr/share/fish/vendor_completions.d" "$stage/usr/share/man/man1" "$stage/usr/share/man/man8" \
  "$stage/usr/share/doc/processmaster/examples"
install -m 0755 "$bin/processmaster" "$bin/pmctl" "$stage/usr/bin/"
install -m 0644 packaging/config.yaml "$stage/etc/processmaster/config.yaml"
install -m 0644 packaging/processmaster.service "$stage/lib/systemd/system/processmaster.service"
install -m 0644 packaging/processmaster.tmpfiles "$stage/usr/lib/tmpfiles.d/processmaster.conf"
install -m 0644 examples/config.full.yaml examples/service.full.yaml "$stage/usr/share/doc/processmaster/examples/"
install -m 0644 docs/packaging.md "$stage/usr/share/doc/processmaster/"
printf 'processmaster\nSee https://github.com/ for the source; the license of this build applies.\n' > "$stage/usr/share/doc/processmaster/copyright"

"$bin/pmctl" completion bash > "$stage/usr/share/bash-completion/completions/pmctl"
"$bin/pmctl" completion zsh > "$stage/usr/share/zsh/vendor-completions/_pmctl"
"$bin/pmctl" completion fish > "$stage/usr/share/fish/vendor_completions.d/pmctl.fish"

# A man page from --help: the text as printed, preformatted (troff escapes for backslashes and leading dots).
troff() { sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'; }
manpage() { # NAME SECTION SUMMARY HELPTEXT [SUBCOMMAND-HELP...]
  local name=$1 section=$2 summary=$3; shift 3
  printf '.TH %s %s "%s" "processmaster %s" "processmaster"\n' "${name^^}" "$section" "$(date -u +%Y-%m-%d)" "$version"
  printf '.SH NAME\n%s \\- %s\n' "$name" "$summary"
  printf '.SH DESCRIPTION\n.nf\n'; printf '%s\n' "$1" | troff; printf '.fi\n'; shift
  if [ $# -gt 0 ]; then
    printf '.SH COMMANDS\n'
    while [ $# -gt 0 ]; do printf '.SS %s\n.nf\n' "$1"; printf '%s\n' "$2" | troff; printf '.fi\n'; shift 2; done
  fi
  printf '.SH FILES\n.nf\n/etc/processmaster/config.yaml\n/etc/processmaster/services.d/\n/run/processmaster/processmaster.sock\n/var/lib/processmaster/appstate.json\n/var/log/processmaster/processmaster.log\n.fi\n'
  printf '.SH SEE ALSO\n%s\n' "$([ "$name" = pmctl ] && echo 'processmaster(8)' || echo 'pmctl(1)'), systemctl(1), /usr/share/doc/processmaster/packaging.md"
}
subs=()
for cmd in $("$bin/pmctl" --help | sed -n '/^Commands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p'); do
  subs+=("pmctl $cmd" "$("$bin/pmctl" "$cmd" --help)")
done
[ ${#subs[@]} -gt 0 ] || { echo "build-deb: found no commands in pmctl --help" >&2; exit 1; }
manpage pmctl 1 "control a processmaster daemon" "$("$bin/pmctl" --help)" "${subs[@]}" | gzip -9n > "$stage/usr/share/man/man1/pmctl.1.gz"
manpage processmaster 8 "supervisor for services and cron jobs in cgroup v2" "$("$bin/processmaster" --help)" \
  | gzip -9n > "$stage/usr/share/man/man8/processmaster.8.gz"

cat > "$stage/DEBIAN/control" <<CONTROL
Package: processmaster
Version: $version
Architecture: amd64
Maintainer: processmaster maintainers <root@localhost>
Section: admin
Priority: optional
Depends: libc6 (>= 2.31)
Installed-Size: $(du -sk "$stage" | cut -f1)
Description: supervisor for services and cron jobs in cgroup v2
 processmaster runs long-lived services and cron jobs, each in its own cgroup, stops them
 completely (cgroup.kill), restarts crashed ones, and keeps them running across its own
 restarts and upgrades. pmctl is its command-line client.
CONTROL
printf '/etc/processmaster/config.yaml\n' > "$stage/DEBIAN/conffiles"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$stage/DEBIAN/"

mkdir -p "$dest"
deb="$dest/processmaster_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
