#!/bin/bash
# Builds build/qemu11/: QEMU 11.1 from trixie-backports (qemu-system-x86,
# whose virtio-net-pci has composable SR-IOV, sriov-pf=), runnable on this
# bookworm host and in the rig's L1 (a chroot of the host's root at the
# same paths) without a trixie root:
#   qemu-system-x86_64       the wrapper to run (a shell script)
#   bin/qemu-system-x86_64   trixie-backports' binary
#   bin/ld-linux-x86-64.so.2 trixie's loader, which the wrapper starts
#                            with --library-path lib
#   lib/                     the binary's libraries (its ELF closure)
#   usr/share/qemu/, usr/share/seabios/
#                            firmware: qemu-system-data (kvmvapic.bin,
#                            linuxboot_dma.bin, ...), ipxe-qemu
#                            (efi-virtio.rom, ...), seabios (bios-256k.bin)
#   bin/qemu-bundle -> ..    see below
# Started through its loader, QEMU takes the loader's folder for its own
# (/proc/self/exe). If that folder has a qemu-bundle/ (as a QEMU build tree
# does), QEMU looks for every installed file below it: firmware in
# qemu-bundle/usr/share/{qemu,seabios}, loadable modules in
# qemu-bundle/usr/lib/x86_64-linux-gnu/qemu (empty here: the tests load
# none).  Without it, it would fall back to bookworm's QEMU 7.2 firmware in
# /usr/share/qemu and try 7.2's modules ("-device help" does).  The wrapper
# passes -L too.
# Packages come through a private apt configuration (trixie and
# trixie-backports) in build/kit/apt-bpo; the system's sources are left
# alone.  Run again, it resolves the package names afresh (from lists at
# most a week old) and rebuilds only if the set of cached .debs they name
# changed: a package already in build/kit/apt-bpo/debs is never fetched
# again, so a newer version of it is not picked up (delete the .deb, or
# build/kit/apt-bpo/debs, to have it fetched).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kit_lock qemu11

APTDIR=$KIT/apt-bpo
APT_SUITES="trixie trixie-backports"
APT_RELEASE=trixie-backports
OUT=$ROOT/build/qemu11
TREE=$KIT/qemu11
# qemu-system-common carries helpers and loadable modules (audio, USB,
# curses UI, ...) that these tests never load, and their libraries.
SKIP=(qemu-system-common)

apt_setup
apt_ensure_lists

# qemu-system-x86 and everything it depends on (Depends only), with
# trixie-backports' versions where it has one.
direct=$(apt_depends qemu-system-x86 |
	grep -vxF -f <(printf '%s\n' "${SKIP[@]}") || true)
[ -n "$direct" ] || die "cannot resolve qemu-system-x86 in trixie-backports"
# shellcheck disable=SC2086
pkgs=$({ echo qemu-system-x86; tapt apt-cache depends --recurse \
	--no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
	--no-enhances $direct | grep -v -e '^ ' -e '^<'; } | sort -u || true)
[ -n "$pkgs" ] || die "cannot resolve the packages qemu-system-x86 needs"

# shellcheck disable=SC2086
deb_fetch $pkgs
debs=
for p in $pkgs; do
	debs="$debs $(basename "$(deb_path "$p")")"
done
stamp=$(echo "$debs" | tr ' ' '\n' | sed '/^$/d')
if [ -x "$OUT/qemu-system-x86_64" ] && [ -x "$OUT/bin/qemu-system-x86_64" ] &&
	[ "$(cat "$OUT/.packages" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi
# Packages changed: unpack afresh rather than over an older tree.
if [ "$(cat "$TREE/.packages" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$TREE"
fi
for p in $pkgs; do
	deb_unpack "$p" "$TREE"
done
echo "$stamp" >"$TREE/.packages"

STAGE=$OUT.new
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,lib,usr/share/qemu,usr/share/seabios} \
	"$STAGE/usr/lib/x86_64-linux-gnu/qemu"
ln -s .. "$STAGE/bin/qemu-bundle"
cp "$TREE/usr/bin/qemu-system-x86_64" "$STAGE/bin/"
libs=$(elf_closure "$TREE" usr/bin/qemu-system-x86_64)
for l in $libs; do
	cp -L "$TREE/$l" "$STAGE/lib/"
done
loader=$(find_lib "$TREE" ld-linux-x86-64.so.2) || die "no ld-linux-x86-64.so.2 in $TREE"
cp -L "$TREE/$loader" "$STAGE/bin/ld-linux-x86-64.so.2"
# Firmware: every file the three packages put in /usr/share/qemu and
# /usr/share/seabios (keymaps and trace lists are not needed).
for d in qemu seabios; do
	find "$TREE/usr/share/$d" -maxdepth 1 \( -type f -o -type l \) \
		-exec cp -L -t "$STAGE/usr/share/$d/" {} +
done
cat >"$STAGE/qemu-system-x86_64" <<-'EOF'
	#!/bin/sh
	# QEMU 11.1 from trixie-backports with trixie's libraries, made by
	# tests/kit/build-qemu11.sh.
	d=$(dirname "$(readlink -f "$0")")
	exec "$d/bin/ld-linux-x86-64.so.2" --library-path "$d/lib" \
		--argv0 "$0" "$d/bin/qemu-system-x86_64" \
		-L "$d/usr/share/qemu" -L "$d/usr/share/seabios" "$@"
EOF
chmod 755 "$STAGE/qemu-system-x86_64"
echo "$stamp" >"$STAGE/.packages"

# It must run here before it replaces a working one.
ver=$("$STAGE/qemu-system-x86_64" --version | head -n1) ||
	die "the new build does not run: $STAGE/qemu-system-x86_64 --version"
echo "$ver" >"$STAGE/version"
# The one thing qemu11 is for: composable SR-IOV on virtio-net-pci.
help=$("$STAGE/qemu-system-x86_64" -device virtio-net-pci,help 2>&1) ||
	die "the new build does not list virtio-net-pci's options: $help"
grep -q '^ *sriov-pf=' <<<"$help" ||
	die "$ver: virtio-net-pci has no sriov-pf= (not the QEMU 11.1 wanted); left in ${STAGE#"$ROOT"/}"
rm -rf "$OUT"
mv "$STAGE" "$OUT"
echo "build-qemu11: $ver in ${OUT#"$ROOT"/} ($(du -sh "$OUT" | cut -f1))"
