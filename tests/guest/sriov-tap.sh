# A VF on -netdev tap: QEMU's docs/system/sriov.rst topology with
# the VF at function 2 on a tap in a network namespace of the host
# (10.0.3.1/24) and mac=sriovm.mac. Once the VFs are enabled, that VF's
# interface does what tests/guest/net-tap.sh checks (ping both ways, TCP
# both ways); then the VFs are disabled.
# Kernel command line: net-tap.sh's.
#
# On the VMMs of sriov.sh; the host side is net-tap.sh's.
#@case sriov-tap vmms="sriovm sriovm-asan qemu11" mem=512 timeout=$((2 * T))
#@	netns=$NET_NS
#@	args="$(sriov_rst_args "tap,id=p,ifname=$NET_TAP,script=no,downscript=no"
#@		,mac=52:54:00:00:03:32)"
#@	append="sriovm.mac=52:54:00:00:03:32 $NET_IN16 $NET_BACK16 sriovm.sink=5002"
#@	pre="$NETTAP up $NET_NS $NET_TAP 10.0.3.1/24"
#@	host="ip netns exec $NET_NS busybox ping -c 2 -W 5 10.0.3.2 &&
#@		ip netns exec $NET_NS $NETPEER
#@		--send 10.0.3.2:5001=$(shq "$NET_DATA16") --sink 10.0.3.1:5002"
#@	post="$NETTAP down $NET_NS $NET_TAP"
#@pass modules pf pf-bound enable vfs-up tap-is-vf tap-nic tap-ping
#@	tap-xfer-in tap-xfer-out disable vfs-gone
# The same behind a virtio-iommu-pci (sriovm.iommu=1): the VF's TCP
# through translated DMA, the VF in a translated IOMMU group of its own.
#@case iommu-tap vmms="sriovm sriovm-asan qemu11" mem=512 timeout=$((2 * T))
#@	netns=$NET_NS
#@	args="-device virtio-iommu-pci
#@		$(sriov_rst_args "tap,id=p,ifname=$NET_TAP,script=no,downscript=no"
#@		,mac=52:54:00:00:03:32 ,iommu_platform=on)"
#@	append="sriovm.iommu=1 sriovm.mac=52:54:00:00:03:32 $NET_IN16 $NET_BACK16
#@		sriovm.sink=5002"
#@	pre="$NETTAP up $NET_NS $NET_TAP 10.0.3.1/24"
#@	host="ip netns exec $NET_NS busybox ping -c 2 -W 5 10.0.3.2 &&
#@		ip netns exec $NET_NS $NETPEER
#@		--send 10.0.3.2:5001=$(shq "$NET_DATA16") --sink 10.0.3.1:5002"
#@	post="$NETTAP down $NET_NS $NET_TAP"
#@pass modules modules-iommu pf pf-bound enable vfs-up tap-is-vf tap-vf-group
#@	tap-nic tap-ping tap-xfer-in tap-xfer-out disable vfs-gone

check modules modules_load
[ "$(arg iommu)" = 1 ] && check modules-iommu modules_load_iommu
. /lib/sriovm/sriov.sh
sriov_start || return
NVF=$(cat "$P/sriov_totalvfs")
check enable set_numvfs "$NVF"
if wait_for 30 all_up; then
	pass vfs-up
else
	fail vfs-up "$(nvfs) VFs, $(nifaces) interfaces"
fi
# The interface with the tap's MAC is a VF's.
f=
n=$(nic_by_mac "$(arg mac)") && f=$(nic_pci "$n")
if [ -n "$f" ] && [ -e "/sys/bus/pci/devices/$f/physfn" ]; then
	pass tap-is-vf
else
	fail tap-is-vf "MAC $(arg mac): interface '$n', function '$f', not a VF"
fi
if [ "$(arg iommu)" = 1 ]; then
	g=$(readlink "/sys/bus/pci/devices/$f/iommu_group" 2>/dev/null | sed 's,.*/,,')
	t=$(cat "/sys/kernel/iommu_groups/$g/type" 2>/dev/null)
	n=$(ls "/sys/kernel/iommu_groups/$g/devices" 2>/dev/null | wc -l)
	case $t/$n in
	DMA/1 | DMA-FQ/1) pass tap-vf-group ;;
	*) fail tap-vf-group "group '$g' type '$t' with $n functions" ;;
	esac
fi
. /tests/net-tap.sh
check disable set_numvfs 0
if wait_for 10 all_gone; then pass vfs-gone; else fail vfs-gone "$(nvfs) VFs left"; fi
