#!/bin/bash
# Builds Linux's virtio_vfio_pci (drivers/vfio/pci/virtio: the vfio driver
# that gives a VF of a virtio-net PF with the admin queue's legacy-access
# commands an emulated legacy I/O BAR0) for the guest kit's kernel, whose
# config leaves it out (# CONFIG_VIRTIO_VFIO_PCI is not set):
#   build/kit/virtio-vfio/virtio-vfio-pci.ko   (debug info stripped)
# It is built out of tree from Debian's own linux-source-6.12 of the
# kernel's version, against linux-headers-REL, with the gcc-14 that built
# the kernel, in a trixie root unpacked from the packages
# (build/kit/virtio-vfio/root, entered with chroot; not as root, through a
# user namespace), which is removed once the module is made, with the
# source package. It is built again only when the headers, gcc or this
# script change.
# Packages come through the guest kit's private trixie configuration.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kit_lock virtio-vfio

OUT=$KIT/virtio-vfio
KO=virtio-vfio-pci.ko
SRC=drivers/vfio/pci/virtio
# What the build runs: make and the compiler, the tools kbuild's recipes
# call, and base-files for the merged /usr's links (/lib64, the loader's).
TOOLS=(base-files dash coreutils sed grep mawk findutils diffutils make gcc-14
	libc6-dev)

apt_setup
# build-guest.sh, which has resolved the kernel already, names it.
REL=${1:-$(kernel_unpack)}
HDR=linux-headers-$REL
SRCPKG=linux-source-$(cut -d. -f1,2 <<<"$REL")
# The candidates' versions, PKG=VERSION, from one look at the lists.
versions=$(tapt apt-cache show --no-all-versions "$HDR" gcc-14 2>/dev/null |
	awk '$1 == "Package:" { p = $2 } $1 == "Version:" { print p "=" $2 }' |
	sort) || true
HVER=$(sed -n "s/^$HDR=//p" <<<"$versions")
[ -n "$HVER" ] || die "no $HDR in trixie"
stamp="$(paste -sd " " <<<"$versions") $(sha256sum <"${BASH_SOURCE[0]}" | cut -c1-16)"
if [ -f "$OUT/$KO" ] && [ "$(cat "$OUT/.built" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi
t0=$(date +%s)

TREE=$OUT/root
rm -rf "$TREE"
# The headers would bring the kernel image and its initramfs tools along:
# kbuild needs neither.
pkgs=$(apt_closure 'linux-image-.*|linux-base' "${TOOLS[@]}" "$HDR")
# shellcheck disable=SC2086
deb_fetch $pkgs
for p in $pkgs; do
	deb_unpack "$p" "$TREE"
done
# What a maintainer script would have made: awk (an alternative).
ln -sf mawk "$TREE/usr/bin/awk"
mkdir -p "$TREE/dev" "$TREE/build"
touch "$TREE/dev/null"

# in_root CMD...: CMD in the root, with a clean environment, in a mount
# namespace of its own where the host's /dev/null (make and gcc need one)
# is bound over the root's: nothing stays mounted, no device node is made.
# Not as root, a user namespace stands in for root.
# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
in_root() {
	local user=()
	[ "$(id -u)" = 0 ] || user=(--user --map-root-user)
	unshare "${user[@]}" --mount sh -c 'mount --bind /dev/null "$0/dev/null" &&
		exec chroot "$0" /usr/bin/env -i PATH=/usr/bin:/usr/sbin HOME=/ LC_ALL=C "$@"' \
		"$TREE" "$@"
}
in_root sh -c ': >/dev/null' ||
	die "cannot run in $TREE (not as root this needs user namespaces)"

# The driver's folder from the source tarball, of the headers' version: a
# module built from other sources could disagree with the kernel's
# structures (vfio_pci_core_device) and still load.
deb=$(deb_path "$SRCPKG=$HVER")
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$SRCPKG.tar.xz" | xz -dc |
	tar -x -C "$TREE/build" --strip-components=4 "$SRCPKG/$SRC" ||
	die "no $SRC in $deb"

# M= is a path inside the root, so the checkout's path (blanks, commas)
# never reaches kbuild. DEB_BUILD_ARCH spares the headers' Makefile a dpkg.
quiet in_root make -C "/usr/src/$HDR" M=/build/virtio \
	CONFIG_VIRTIO_VFIO_PCI=m DEB_BUILD_ARCH=amd64 modules
quiet in_root strip --strip-debug -o "/build/$KO" "/build/virtio/$KO"
ko=$TREE/build/$KO
magic=$(/sbin/modinfo -F vermagic "$ko")
[ "${magic%% *}" = "$REL" ] || die "$KO has vermagic '$magic', not $REL"
[ "$(/sbin/modinfo -F name "$ko")" = virtio_vfio_pci ] ||
	die "$KO is not virtio_vfio_pci"
cp "$ko" "$OUT/$KO.new"
mv "$OUT/$KO.new" "$OUT/$KO"
echo "$stamp" >"$OUT/.built"
# The root (about 380 MB) and the source package (150 MB) are needed again
# only for another kernel, which brings its own.
rm -rf "$TREE"
rm -f "$deb"
echo "build-virtio-vfio: $KO for $REL in $(($(date +%s) - t0)) s"
