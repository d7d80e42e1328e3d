# -netdev tap: a virtio-net-pci behind a PCIe root port, its tap in a
# network namespace of the host (10.0.3.1/24; the guest takes 10.0.3.2).
# Kernel command line: sriovm.mac (the NIC's), sriovm.xfer_size and
# sriovm.xfer_sha (the file the host sends to port 5001), sriovm.back_size
# and sriovm.back_sha (its first bytes, which the guest sends back to the
# host's sink at 10.0.3.1:sriovm.sink). The guest prints TEST-HOST once it
# listens: the host pings it, sends, and waits for the bytes back.
#
# The VMM runs in a network namespace of the host that nettap makes with
# the tap in it; netpeer, in the namespace, sends and sums. sriovm-asan
# runs it too.
#@case net-tap vmms=+sriovm-asan mem=512 netns=$NET_NS
#@	args="-device pcie-root-port,id=rp0,chassis=1,slot=1,addr=0x2
#@		-netdev tap,id=t0,ifname=$NET_TAP,script=no,downscript=no
#@		-device virtio-net-pci,netdev=t0,bus=rp0,mac=52:54:00:00:03:11"
#@	append="sriovm.mac=52:54:00:00:03:11 $NET_IN16 $NET_BACK16 sriovm.sink=5002"
#@	pre="$NETTAP up $NET_NS $NET_TAP 10.0.3.1/24"
#@	host="ip netns exec $NET_NS busybox ping -c 2 -W 5 10.0.3.2 &&
#@		ip netns exec $NET_NS $NETPEER
#@		--send 10.0.3.2:5001=$(shq "$NET_DATA16") --sink 10.0.3.1:5002"
#@	post="$NETTAP down $NET_NS $NET_TAP"
#@pass modules tap-nic tap-ping tap-xfer-in tap-xfer-out

MAC=$(arg mac)
check modules modules_load
nic() { N=$(nic_by_mac "$MAC"); }
if ! wait_for 10 nic; then
	fail tap-nic "no interface with MAC $MAC: $(ls /sys/class/net | tr '\n' ' ')"
	return
fi
pass tap-nic
ip addr add 10.0.3.2/24 dev "$N"
ip link set "$N" up
up=
if ping -c 2 -W 5 10.0.3.1 >/dev/null 2>&1; then
	pass tap-ping
	up=1
else
	fail tap-ping "no answer from 10.0.3.1"
fi

XSIZE=$(arg xfer_size)
XSHA=$(arg xfer_sha)
xfer_listen 5001 /tmp/rx || fail tap-xfer-in "nc does not listen on 5001"
echo TEST-HOST
# A link that does not ping carries no TCP either: do not wait for it.
if [ -z "$up" ]; then
	kill $XFER_PID 2>/dev/null
	fail tap-xfer-in "10.0.3.1 does not answer pings"
	fail tap-xfer-out "10.0.3.1 does not answer pings"
	return
fi
xfer_check tap-xfer-in /tmp/rx "$XSIZE" "$XSHA"
head -c "$(arg back_size)" /tmp/rx >/tmp/tx
rm -f /tmp/rx
xfer_send tap-xfer-out 10.0.3.1 "$(arg sink)" /tmp/tx "$(arg back_size)" \
	"$(arg back_sha)"
rm -f /tmp/tx
