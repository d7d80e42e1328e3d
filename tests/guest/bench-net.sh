# bench/net's guest side: TCP throughput through one virtio-net-pci, with
# bench/net-peer on the host, which times both transfers. Kernel command line:
#   sriovm.mac=MAC       the NIC's
#   sriovm.addr=A/LEN    a static address (-netdev tap), or "dhcp" (user)
#   sriovm.peer=ADDR     the host's sink address (10.0.2.2 for user)
#   sriovm.sink=PORT     its port
#   sriovm.size=BYTES    how much the host sends
#   sriovm.back=BYTES    how much of it the guest sends back (a multiple
#                        of 64 KiB; default all)
#   sriovm.iommu=1       the NIC is behind a virtio-iommu-pci: its modules first
# The guest listens on 5001 and prints TEST-HOST; the host sends SIZE
# bytes, which go to a file here; then the guest sends the first BACK bytes
# of it to PEER:SINK and the host compares. dd with 64 KiB blocks moves the bytes
# (nc -e hands it the socket): nc's own copy loop uses small buffers and
# would cost the nested guest more CPU than the VMM.

MAC=$(arg mac)
ADDR=$(arg addr dhcp)
PEER=$(arg peer)
SINK=$(arg sink)
SIZE=$(arg size)
BACK=$(arg back "$SIZE")

check modules modules_load
[ "$(arg iommu)" = 1 ] && check modules-iommu modules_load_iommu
# ip_up ADDR IFACE: a static address on IFACE, and the link up.
ip_up() { ip addr add "$1" dev "$2" && ip link set "$2" up; }
nic() { N=$(nic_by_mac "$MAC"); }
if ! wait_for 10 nic; then
	fail bench-nic "no interface with MAC $MAC: $(ls /sys/class/net | tr '\n' ' ')"
	return
fi
if [ "$ADDR" = dhcp ]; then
	if [ -z "$(dhcp "$N")" ]; then
		fail bench-addr "no DHCP lease on $N"
		return
	fi
	pass bench-addr
else
	check bench-addr ip_up "$ADDR" "$N"
fi

# uptime: seconds, from /proc/uptime (10 ms), for a guest-side cross-check.
uptime_s() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

nc -l -p 5001 -e dd of=/tmp/rx bs=64k </dev/null >/dev/null 2>&1 &
RXPID=$!
if ! wait_for 10 tcp_listening 5001; then
	fail bench-in "nc does not listen on 5001"
	return
fi
echo TEST-HOST
# The first byte starts the guest's clock (polled every 0.1 s).
until [ -s /tmp/rx ] || ! kill -0 $RXPID 2>/dev/null; do sleep 0.1; done
t0=$(uptime_s)
wait $RXPID
t1=$(uptime_s)
got=$(stat -c %s /tmp/rx 2>/dev/null || echo 0)
expect_eq bench-in "$SIZE" "$got"
echo "TEST-INFO bench-in guest-seconds=$(since "$t0" "$t1")"

# Back to the host's sink, which listens already; retried for 30 s in case
# it does not (yet).
n=150
t0=$(uptime_s)
until nc -w 10 "$PEER" "$SINK" -e dd if=/tmp/rx bs=64k count=$((BACK >> 16)) </dev/null >/dev/null 2>&1; do
	n=$((n - 1))
	if [ $n = 0 ]; then
		fail bench-out "cannot connect to $PEER:$SINK"
		return
	fi
	sleep 0.2
	t0=$(uptime_s)
done
t1=$(uptime_s)
pass bench-out
echo "TEST-INFO bench-out guest-seconds=$(since "$t0" "$t1")"
rm -f /tmp/rx
