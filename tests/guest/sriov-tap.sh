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

check modules modules_load
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
. /tests/net-tap.sh
check disable set_numvfs 0
if wait_for 10 all_gone; then pass vfs-gone; else fail vfs-gone "$(nvfs) VFs left"; fi
