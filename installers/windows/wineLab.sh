#!/usr/bin/env bash
# Wine 10 for the Windows smoke tests: Debian 12's wine 8 has only a stub winscard, so a Debian trixie
# chroot (debootstrap) supplies wine 10, whose winscard calls libpcsclite. The chroot's libpcsclite
# is replaced by the machine's own, so that winscard speaks the protocol of the machine's pcscd.
#
#   wineLab.sh ensure                       create the chroot if missing, refresh libpcsclite (cheap
#                                           when the chroot exists); `ensure --upgrade` also upgrades
#   wineLab.sh run [--bind DIR]... -- CMD   run CMD inside the chroot, in a private mount namespace
#                                           with /proc, /dev, /tmp, /run/pcscd and each DIR bound at
#                                           the same path (they vanish when the namespace ends)
#
# Needs root (debootstrap, chroot, mounts). CARDBRIDGE_WINE_CHROOT overrides the chroot's place.
set -euo pipefail

ROOT="${CARDBRIDGE_WINE_CHROOT:-/var/cache/cardbridge-wine/trixie}"
SUITE=trixie
LIBDIR="/usr/lib/$(uname -m)-linux-gnu"

die() {
  echo "wineLab.sh: $*" >&2
  exit 1
}

# The Debian mirror apt already uses (deb822 or one-line sources), else deb.debian.org.
mirror() {
  local uri
  uri="$(grep -hs -m1 -oP '^URIs:\s*\K\S+' /etc/apt/sources.list.d/*.sources || true)"
  [ -n "$uri" ] || uri="$(grep -hs -m1 -oP '^deb\s+(\[[^]]*\]\s+)?\K\S+' /etc/apt/sources.list || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

ready() { [ -x "$ROOT/usr/lib/wine/wine64" ] && [ -x "$ROOT/usr/lib/wine/wineserver64" ]; }

# Runs a command in the chroot with /proc and /dev, for apt inside it.
in_chroot() {
  unshare --mount --propagation private -- sh -c '
    root="$1"; shift
    mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && exec chroot "$root" "$@"
  ' sh "$ROOT" "$@"
}

ensure() {
  [ "$(id -u)" = 0 ] || die "needs root"
  if ! ready; then
    command -v debootstrap >/dev/null || die "debootstrap is not installed (apt install debootstrap)"
    mkdir -p "$ROOT"
    [ -x "$ROOT/usr/bin/apt-get" ] || debootstrap --variant=minbase "$SUITE" "$ROOT" "$(mirror)"
    in_chroot env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine wine64
  elif [ "${1:-}" = --upgrade ]; then
    in_chroot env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    in_chroot env DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq
  fi
  ready || die "wine 10 is not in $ROOT after installing it"
  # The machine's client library, so the chroot's winscard reaches the machine's pcscd (an apt
  # upgrade in the chroot would put trixie's back: this runs before every test run).
  local own
  own="$(readlink -f "$LIBDIR/libpcsclite.so.1")"
  [ -f "$own" ] || die "the machine has no $LIBDIR/libpcsclite.so.1 (apt install libpcsclite1)"
  cmp -s "$own" "$ROOT$LIBDIR/libpcsclite.so.1" || install -m 0644 "$own" "$ROOT$LIBDIR/libpcsclite.so.1"
}

run() {
  [ "$(id -u)" = 0 ] || die "needs root"
  ready || die "no wine 10 chroot at $ROOT: run wineLab.sh ensure"
  local binds=(/tmp)
  [ -n "${TMPDIR:-}" ] && binds+=("$TMPDIR")
  [ -d /run/pcscd ] && binds+=(/run/pcscd)
  while [ $# -gt 0 ]; do
    case "$1" in
      --bind) binds+=("$(readlink -f "$2")"); shift 2 ;;
      --) shift; break ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ $# -gt 0 ] || die "run: no command"
  unshare --mount --propagation private -- bash -c '
    set -e
    root="$1"; count="$2"; shift 2
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    for dir in "${@:1:$count}"; do
      mkdir -p "$root$dir"
      mount --bind "$dir" "$root$dir"
    done
    shift "$count"
    exec chroot "$root" "$@"
  ' bash "$ROOT" "${#binds[@]}" "${binds[@]}" "$@"
}

case "${1:-}" in
  ensure) shift; ensure "$@" ;;
  run) shift; run "$@" ;;
  *) die "usage: wineLab.sh ensure [--upgrade] | run [--bind DIR]... -- CMD [ARGS]" ;;
esac
