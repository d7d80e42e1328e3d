#!/bin/bash
# Builds build/rig/l1-initrd.img, the initramfs of the rig's L1 guest:
# busybox, the 9p, kvm and tun modules of the guest kit's trixie kernel, and
# tests/kit/rig-init as /init.  Everything else (the harness, the VMMs, the
# guest kit) L1 reads from the host's root over 9p.
# The L1 kernel is build/guest/vmlinuz (run tests/kit/build-guest.sh first).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kit_lock rig

OUT=$ROOT/build/rig
# Load order matters: 9p before the mount, kvm-amd before /dev/kvm.
MODULES=(9pnet_virtio 9p kvm_amd tun)

REL=$(cat "$ROOT/build/guest/kernel-release" 2>/dev/null) ||
	die "no guest kit: run tests/kit/build-guest.sh"
[ -f "$(kmod_dir "$REL")/modules.dep" ] ||
	die "kernel $REL not unpacked: run tests/kit/build-guest.sh"
BUSYBOX=$(command -v busybox) || die "busybox missing: run tests/kit/deps.sh"

STAGE=$OUT/initrd.d
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,proc,sys,dev,host,etc}
cp "$BUSYBOX" "$STAGE/bin/busybox"
for a in $(busybox --list); do
	[ "$a" = busybox ] || ln -s busybox "$STAGE/bin/$a"
done
kmod_install "$REL" "$STAGE" "${MODULES[@]}"
# rig-init loads from /lib/modules/ directly.
mv "$STAGE/lib/modules/$REL"/* "$STAGE/lib/modules/"
rmdir "$STAGE/lib/modules/$REL"
cp "$ROOT/tests/kit/rig-init" "$STAGE/init"
chmod 755 "$STAGE/init"

make_cpio "$STAGE" "$OUT/l1-initrd.img.new"
if cmp -s "$OUT/l1-initrd.img.new" "$OUT/l1-initrd.img"; then
	rm "$OUT/l1-initrd.img.new"
else
	mv "$OUT/l1-initrd.img.new" "$OUT/l1-initrd.img"
fi
