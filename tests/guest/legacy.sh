# The legacy interface of a VF through its PF's admin queue (virtio 1.3
# legacy-access commands), as Linux's virtio_vfio_pci uses it: a composed
# SR-IOV virtio-net PF at 01:00.0 behind a virtio-iommu, VF 1 at 01:00.1
# on hub 0 with the PF, VF 2 at 01:00.2 without a backend, every function
# iommu_platform=on. VF 1, first on virtio_net (its MAC, pings with the
# PF), goes to virtio_vfio_pci (tests/kit/build-virtio-vfio.sh builds it:
# the kit's kernel lacks it), which emulates an I/O BAR0 with the PF's
# LEGACY_COMMON_CFG_*, LEGACY_DEV_CFG_* and LEGACY_NOTIFY_INFO commands;
# vfio-vnet (tests/kit/vfio-vnet.c) drives it there as a legacy virtio-net
# driver, frames both ways with the PF's interface (an AF_PACKET peer),
# then as a modern one through the same driver; VF 1 back on virtio_net,
# pings; VF 2 untouched; no admin command failed; the VFs disabled.
#
# On sriovm, its ASan build and QEMU 11.1 (the same arguments). QEMU 11.1
# has no admin queue (its PF lacks VIRTIO_F_ADMIN_VQ), so virtio_vfio_pci
# serves its VF as plain vfio-pci, without BAR0: the checks that differ
# say so in their names (pf-no-admin-vq, vfio-no-legacy), and their
# passing there is what shows the legacy checks can fail.
#@case legacy vmms="sriovm sriovm-asan qemu11" mem=512 timeout=$((2 * T))
#@	args="-device virtio-iommu-pci
#@		-netdev hubport,id=h0,hubid=0 -netdev hubport,id=h1,hubid=0
#@		-device pcie-root-port,id=b,chassis=1
#@		-device virtio-net-pci,bus=b,addr=0x0.0x2,sriov-pf=f,mac=52:54:00:00:05:02,iommu_platform=on
#@		-device virtio-net-pci,bus=b,addr=0x0.0x1,netdev=h1,sriov-pf=f,mac=52:54:00:00:05:01,iommu_platform=on
#@		-device virtio-net-pci,bus=b,addr=0x0.0x0,netdev=h0,id=f,mac=52:54:00:00:05:00,iommu_platform=on"
#@pass modules modules-iommu modules-virtio-vfio pf pf-bound
#@	$(vmm_is qemu11 pf-no-admin-vq pf-admin-vq) enable vfs-up vf-mac
#@	pf-vf-ping vvfio-bind $(vmm_is qemu11 vfio-no-legacy vfio-legacy)
#@	vfio-modern vvfio-unbind vf-back-mac vf-back-ping vf2-untouched
#@	admin-errors disable

PFMAC=52:54:00:00:05:00
VF1MAC=52:54:00:00:05:01
VF2MAC=52:54:00:00:05:02
NVF=2
check modules modules_load
check modules-iommu modules_load_iommu
check modules-virtio-vfio modules_load_virtio_vfio
. /lib/sriovm/sriov.sh
sriov_start || return

# VIRTIO_F_ADMIN_VQ (bit 41) in the features the PF's driver accepted
# (sysfs: one character a bit): sriovm's PF has the admin queue, QEMU
# 11.1's not.
f=$(cat "$P"/virtio*/features 2>/dev/null | cut -c42)
if [ "$(platform)" = sriovm ]; then
	expect_eq pf-admin-vq 1 "$f"
else
	expect_eq pf-no-admin-vq 0 "$f"
fi

check enable set_numvfs "$NVF"
if wait_for 30 all_up; then pass vfs-up; else fail vfs-up "$(nvfs) VFs, $(nifaces) up"; fi
VFS=$(vfs)
VF1=${VFS%% *}
VF2=${VFS##* }
mac_of() { cat "/sys/class/net/$(iface "$1")/address" 2>/dev/null; }
expect_eq vf-mac "$VF1MAC" "$(mac_of "$VF1")"
vf1_ping() { hub_peer "$VF1" && hub_ping; }
check pf-vf-ping vf1_ping
PFI=$(iface "$PF")

# VF 1 to virtio_vfio_pci, which takes a function only by driver_override.
to_vvfio() {
	to_driver "$VF1" virtio_vfio_pci &&
		[ "$(pci_driver "$VF1")" = virtio_vfio_pci ] &&
		[ -c "/dev/vfio/$(group_of "$VF1")" ]
}
check vvfio-bind to_vvfio
vfio-vnet echo "$PFI" 60 >/tmp/echo.log 2>&1 &
ECHO=$!
sleep 1
# sriovm: the legacy driver's run passes (exit 0). QEMU 11.1: no BAR0,
# plain vfio-pci (exit 4).
out=$(vfio-vnet legacy "$VF1" "$PFMAC" "$VF1MAC" 8 2>&1)
st=$?
if [ "$(platform)" = sriovm ]; then
	name=vfio-legacy want=0
else
	name=vfio-no-legacy want=4
fi
if [ "$st" = "$want" ]; then pass $name; else fail $name "exit $st (want $want): $out"; fi
# The BARs virtio_vfio_pci passes through: the same VF as a modern device.
out=$(vfio-vnet ping "$VF1" "$PFMAC" 4 2>&1)
case $out in *"vfio-vnet: ok"*) pass vfio-modern ;; *) fail vfio-modern "$out" ;; esac
kill $ECHO 2>/dev/null

# Back to virtio_net, with its MAC (a reset brings back mac=), working.
from_vvfio() { to_driver "$VF1" "" && wait_for 10 bound "$VF1"; }
check vvfio-unbind from_vvfio
expect_eq vf-back-mac "$VF1MAC" "$(mac_of "$VF1")"
check vf-back-ping vf1_ping
# VF 2 kept its driver and MAC while VF 1's commands went by.
if bound "$VF2" && [ "$(mac_of "$VF2")" = "$VF2MAC" ]; then
	pass vf2-untouched
else
	fail vf2-untouched "driver '$(pci_driver "$VF2")', MAC '$(mac_of "$VF2")'"
fi

# virtio_pci's complaints about admin commands (drivers/virtio/
# virtio_pci_modern.c, vp_modern_admin_cmd_exec): a command the device
# failed, or one that could not be sent.
bad=$(dmesg | grep -E 'admin command error|Failed to execute command on admin vq' |
	head -n 3 | tr '\n' ' ')
expect_eq admin-errors "" "$bad"
disable() { set_numvfs 0 && wait_for 30 all_gone; }
check disable disable
