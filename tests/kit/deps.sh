#!/bin/bash
# Installs the Debian (bookworm) packages that the build and the tests need,
# only those missing.  Runs as root (or through sudo), without a terminal.
set -euo pipefail

PKGS=(
	# build, unit tests, sanitizers, fuzzing
	gcc make pkg-config libc6-dev libcmocka-dev libslirp-dev
	clang-14 libclang-rt-14-dev libfuzzer-14-dev
	# ACPI table checks (iasl, acpiexec); terminal tests (script)
	acpica-tools bsdutils
	# VMM to compare with, and L0 of the rig
	qemu-system-x86
	# guest kit: busybox, initramfs tools, trixie packages through apt
	busybox-static cpio xz-utils zstd kmod binutils
	debian-archive-keyring ca-certificates
	# host-side network tests (netns, tap; tests/harness/netpeer)
	iproute2 python3
)

missing=()
for p in "${PKGS[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || {
		echo "deps.sh: need root to install: ${missing[*]}" >&2
		exit 1
	}
	SUDO="sudo -n"
fi

echo "deps.sh: installing ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -q &&
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"; } </dev/null >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	echo "deps.sh: apt-get failed for: ${missing[*]}" >&2
	exit 1
fi
