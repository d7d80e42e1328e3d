#!/bin/bash
# Builds the guest kit into build/guest/ from Debian packages only:
#   vmlinuz      trixie's linux-image (through linux-image-amd64)
#   initrd.img   busybox (bookworm's static one), trixie's lspci, setpci, ip
#                and ethtool with their libraries, virtio_net and tun
#                modules (loaded by modules_load), the virtio-iommu and vfio
#                ones (modules_load_iommu), virtio_vfio_pci, which the kernel
#                package lacks (built by build-virtio-vfio.sh; loaded by
#                modules_load_virtio_vfio), vfio-vnet (tests/kit/vfio-vnet.c,
#                built static), /init, its helpers (guest-lib.sh, guest-sriov.sh),
#                the udhcpc script, the scenarios of
#                tests/guest/ and their golden files (tests/guest/golden/).
# Downloads and unpacked packages are kept under build/kit/; the initrd is
# rebuilt every run (it is cheap) but replaced only if its contents changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kit_lock guest

OUT=$ROOT/build/guest
USERLAND=(pciutils iproute2 ethtool pci.ids)
BINS=(usr/bin/lspci usr/bin/setpci usr/bin/ip usr/sbin/ethtool)
MODULES=(virtio_net tun)
IOMMU_MODULES=(virtio_iommu vfio vfio_iommu_type1 vfio_pci)

BUSYBOX=$(command -v busybox) ||
	die "busybox missing: run tests/kit/deps.sh"
grep -q INTERP <<<"$(readelf -l "$BUSYBOX")" &&
	die "$BUSYBOX is not static: run tests/kit/deps.sh (busybox-static)"

apt_setup
REL=$(kernel_unpack)
"$ROOT/tests/kit/build-virtio-vfio.sh" "$REL"
mkdir -p "$OUT"
cmp -s "$KIT/kernel/boot/vmlinuz-$REL" "$OUT/vmlinuz" ||
	cp "$KIT/kernel/boot/vmlinuz-$REL" "$OUT/vmlinuz"
[ "$(cat "$OUT/kernel-release" 2>/dev/null)" = "$REL" ] ||
	echo "$REL" >"$OUT/kernel-release"

# Trixie userland: the tools and every package they depend on (a few
# small ones more than needed: not every library package is named lib*),
# unpacked together into one tree from which the ELF closure is taken.
TRIXIE=$KIT/trixie
pkgs=$(tapt apt-cache depends --recurse --no-recommends --no-suggests \
	--no-conflicts --no-breaks --no-replaces --no-enhances "${USERLAND[@]}" |
	grep -v -e '^ ' -e '^<' | sort -u)
[ -n "$pkgs" ] || die "cannot resolve ${USERLAND[*]} in trixie"
# One apt-get call for those not cached yet (deb_unpack would make one a
# package).
# shellcheck disable=SC2086
deb_fetch $pkgs
for p in $pkgs; do
	deb_unpack "$p" "$TRIXIE"
done

STAGE=$OUT/initrd.d
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,lib/x86_64-linux-gnu,lib64} \
	"$STAGE"/{proc,sys,dev,tmp,run,etc,root,tests,lib/sriovm} \
	"$STAGE/usr/share/misc"
cp "$BUSYBOX" "$STAGE/bin/busybox"
# Busybox applets, except those the real trixie tools provide.
for a in $(busybox --list); do
	case $a in busybox | ip | lspci | ethtool) continue ;; esac
	ln -s busybox "$STAGE/bin/$a"
done

for b in "${BINS[@]}"; do
	cp "$TRIXIE/$b" "$STAGE/$b"
done
libs=$(elf_closure "$TRIXIE" "${BINS[@]}") || exit 1
for l in $libs; do
	cp -L "$TRIXIE/$l" "$STAGE/lib/x86_64-linux-gnu/"
done
# The dynamic loader, at the path the binaries' PT_INTERP names.
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$STAGE/lib64/"
cp "$TRIXIE/usr/share/misc/pci.ids" "$STAGE/usr/share/misc/"

# Two load orders: what every scenario loads, and what IOMMU scenarios add.
kmod_install "$REL" "$STAGE" "${IOMMU_MODULES[@]}"
mv "$STAGE/etc/modules.order" "$STAGE/etc/modules-iommu.order"
kmod_install "$REL" "$STAGE" "${MODULES[@]}"
cp "$KIT/virtio-vfio/virtio-vfio-pci.ko" "$STAGE/lib/modules/$REL/"
${CC:-gcc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$ROOT/vendor/linux-uapi" \
	-static -o "$STAGE/usr/bin/vfio-vnet" "$ROOT/tests/kit/vfio-vnet.c" ||
	die "cannot build tests/kit/vfio-vnet.c"

cp "$ROOT/tests/kit/guest-init" "$STAGE/init"
cp "$ROOT/tests/kit/guest-lib.sh" "$STAGE/lib/sriovm/lib.sh"
cp "$ROOT/tests/kit/udhcpc.script" "$STAGE/lib/sriovm/udhcpc.script"
cp "$ROOT/tests/kit/guest-sriov.sh" "$STAGE/lib/sriovm/sriov.sh"
cp "$ROOT"/tests/guest/*.sh "$STAGE/tests/"
# Golden files that scenarios compare with: sriovm's platform's, and
# PLATFORM/ folders for others.
mkdir -p "$STAGE/tests/golden"
[ -d "$ROOT/tests/guest/golden" ] &&
	cp -r "$ROOT/tests/guest/golden/." "$STAGE/tests/golden/"
chmod 755 "$STAGE/init" "$STAGE/lib/sriovm/udhcpc.script"

make_cpio "$STAGE" "$OUT/initrd.img.new"
if cmp -s "$OUT/initrd.img.new" "$OUT/initrd.img"; then
	rm "$OUT/initrd.img.new"
else
	mv "$OUT/initrd.img.new" "$OUT/initrd.img"
fi
