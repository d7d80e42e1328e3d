# -netdev hubport and -netdev socket: four virtio-net-pci, two on hub 0
# (behind root ports), two joined by a socket pair (listen= and connect=,
# on the root bus). One NIC of each pair moves into the guest's network
# namespace "peer", so that the frames really cross the VMM's backends.
# Kernel command line: sriovm.mac_h0, mac_h1, mac_s0, mac_s1.
#   hub:    10.0.4.1 (h0) <-> 10.0.4.2 (h1, in peer)
#   socket: 10.0.5.1 (s0) <-> 10.0.5.2 (s1, in peer)
#
# sriovm-asan runs it too.
#@case net-hub-socket vmms=+sriovm-asan mem=512
#@	args="-device pcie-root-port,id=rp0,chassis=1,slot=1,addr=0x2
#@		-device pcie-root-port,id=rp1,chassis=2,slot=2,addr=0x3
#@		-netdev hubport,id=h0,hubid=0 -netdev hubport,id=h1,hubid=0
#@		-device virtio-net-pci,netdev=h0,bus=rp0,mac=52:54:00:00:03:21
#@		-device virtio-net-pci,netdev=h1,bus=rp1,mac=52:54:00:00:03:22
#@		-netdev socket,id=s0,listen=127.0.0.1:$((NET_PORT + 2))
#@		-netdev socket,id=s1,connect=127.0.0.1:$((NET_PORT + 2))
#@		-device virtio-net-pci,netdev=s0,addr=0x4,mac=52:54:00:00:03:23
#@		-device virtio-net-pci,netdev=s1,addr=0x5,mac=52:54:00:00:03:24"
#@	append="sriovm.mac_h0=52:54:00:00:03:21 sriovm.mac_h1=52:54:00:00:03:22
#@		sriovm.mac_s0=52:54:00:00:03:23 sriovm.mac_s1=52:54:00:00:03:24"
#@pass modules hub-setup hub-ping hub-ping-back socket-ping
#@	socket-ping-back hub-tcp hub-tcp-back socket-tcp socket-tcp-back

check modules modules_load
nics() {
	H0=$(nic_by_mac "$(arg mac_h0)") && H1=$(nic_by_mac "$(arg mac_h1)") &&
		S0=$(nic_by_mac "$(arg mac_s0)") && S1=$(nic_by_mac "$(arg mac_s1)")
}
peer() { ip netns exec peer "$@"; }
setup() {
	ip netns add peer &&
	peer ip link set lo up &&
	ip link set "$H1" netns peer &&
	ip link set "$S1" netns peer &&
	ip addr add 10.0.4.1/24 dev "$H0" && ip link set "$H0" up &&
	ip addr add 10.0.5.1/24 dev "$S0" && ip link set "$S0" up &&
	peer ip addr add 10.0.4.2/24 dev "$H1" && peer ip link set "$H1" up &&
	peer ip addr add 10.0.5.2/24 dev "$S1" && peer ip link set "$S1" up
}
if ! wait_for 10 nics; then
	fail hub-setup "not four NICs: '$H0' '$H1' '$S0' '$S1'"
	return
fi
check hub-setup setup

check hub-ping ping -c 2 -W 5 10.0.4.2
check hub-ping-back peer ping -c 2 -W 5 10.0.4.1
check socket-ping ping -c 2 -W 5 10.0.5.2
check socket-ping-back peer ping -c 2 -W 5 10.0.5.1

# TCP both ways on each link, checked by sum: random bytes made here.
head -c "$(arg xfer_size 8388608)" /dev/urandom >/tmp/d
size=$(stat -c %s /tmp/d)
sum=$(sha /tmp/d)
tcp_both() {
	local name=$1 here=$2 there=$3 port=$4
	# A link that does not ping carries no TCP either: do not wait for it.
	if ! ping -c 1 -W 5 "$there" >/dev/null; then
		fail "$name" "$there does not answer pings"
		fail "$name-back" "$there does not answer pings"
		return
	fi
	xfer_sink "$port" peer || { fail "$name" "no sink in peer"; return; }
	xfer_send "$name" "$there" "$port" /tmp/d "$size" "$sum"
	xfer_sink $((port + 1)) || { fail "$name-back" "no sink here"; return; }
	xfer_send "$name-back" "$here" $((port + 1)) /tmp/d "$size" "$sum" peer
}
tcp_both hub-tcp 10.0.4.1 10.0.4.2 5001
tcp_both socket-tcp 10.0.5.1 10.0.5.2 5003
rm -f /tmp/d
