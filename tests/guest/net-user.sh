# The PCIe platform and -netdev user: a virtio-net-pci behind a PCIe root
# port (netdev user, hostfwd host:P -> guest:5001) and one on the root bus
# (its own netdev user, net 10.0.3.0/24). Kernel command line:
#   sriovm.mac_rp, sriovm.mac_root     the two NICs' MACs
#   sriovm.xfer_size, sriovm.xfer_sha  the file the host sends to port 5001
#   sriovm.back_size, sriovm.back_sha  the first bytes of it, which the
#                                      guest sends to the host's sink
#   sriovm.sink=PORT                   the host's sink, at 10.0.2.2:PORT
#   sriovm.input=WORD                  what the host types on the console
# The guest prints TEST-HOST once it listens on 5001 (the host's cue),
# then TEST-WAITINPUT while the transfer runs.
#
# sriovm-asan runs it too (real guest traffic under ASan/UBSan). The
# lspci text is compared with the golden file on sriovm's platform only
# (golden_pass).
#@case net-user vmms=+sriovm-asan mem=512 timeout=$((2 * T))
#@	stdin=pipe input=sriovm-net-7
#@	args="-device pcie-root-port,id=rp0,chassis=1,slot=1,addr=0x2
#@		-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$NET_PORT-:5001
#@		-device virtio-net-pci,netdev=n0,bus=rp0,mac=52:54:00:00:03:01
#@		-netdev user,id=n1,net=10.0.3.0/24
#@		-device virtio-net-pci,netdev=n1,addr=0x4,mac=52:54:00:00:03:02"
#@	append="sriovm.mac_rp=52:54:00:00:03:01 sriovm.mac_root=52:54:00:00:03:02
#@		$NET_IN64 $NET_BACK16 sriovm.sink=$((NET_PORT + 1))
#@		sriovm.input=sriovm-net-7"
#@	host="$NETPEER --send 127.0.0.1:$NET_PORT=$(shq "$NET_DATA")
#@		--sink 127.0.0.1:$((NET_PORT + 1))"
#@pass modules bind-rp bind-root nic-behind-port nic-on-root-bus
#@	lspci-rootport lspci-nic lspci-nic-root config-4096
#@	$(golden_pass net-user) dhcp-rp dhcp-root ping-rp ping-root
#@	stdin-traffic xfer-in xfer-out bar-moved-rp bar-moved-root
#@	bar-move-bind-rp bar-move-bind-root bar-move-rp bar-move-root

MAC_RP=$(arg mac_rp)
MAC_ROOT=$(arg mac_root)

check modules modules_load

# Both NICs bound: the PCI function to virtio-pci, the virtio device to
# virtio_net, and the interface is there.
nics() { A=$(nic_by_mac "$MAC_RP") && B=$(nic_by_mac "$MAC_ROOT"); }
# Without both NICs nothing below means anything: end at once.
if ! wait_for 10 nics; then
	fail nics "no interface with MAC $MAC_RP and one with $MAC_ROOT: $(ls /sys/class/net | tr '\n' ' ')"
	return
fi
PA=$(nic_pci "$A")
PB=$(nic_pci "$B")
RP=$(pci_parent "$PA")
bound() {
	[ -n "$2" ] || { fail "$1" "no interface with MAC $3"; return; }
	local drv vdrv
	drv=$(pci_driver "$(nic_pci "$2")")
	vdrv=$(readlink "/sys/class/net/$2/device/driver")
	if [ "$drv" = virtio-pci ] && [ "${vdrv##*/}" = virtio_net ]; then
		pass "$1"
	else
		fail "$1" "$2: PCI driver '$drv', virtio driver '${vdrv##*/}'"
	fi
}
bound bind-rp "$A" "$MAC_RP"
bound bind-root "$B" "$MAC_ROOT"
if [ -n "$RP" ]; then pass nic-behind-port; else fail nic-behind-port "$PA is on a root bus"; fi
if [ -n "$PB" ] && [ -z "$(pci_parent "$PB")" ]; then
	pass nic-on-root-bus
else
	fail nic-on-root-bus "$PB is behind $(pci_parent "$PB")"
fi

# What lspci decodes: the facts every PCIe platform shares. The full text
# is compared with a golden file on sriovm's platform only.
lspci_has() {
	local name=$1 dev=$2 re t
	shift 2
	[ -n "$dev" ] || { fail "$name" "no device"; return; }
	t=$(lspci -vvv -s "$dev" 2>/dev/null)
	for re in "$@"; do
		echo "$t" | grep -qE "$re" ||
			{ fail "$name" "$dev: lspci -vvv has no /$re/"; return; }
	done
	pass "$name"
}
lspci_has lspci-rootport "$RP" 'Express \(v[12]\) Root Port'
lspci_has lspci-nic "$PA" 'MSI-X: Enable\+' 'Express \(v[12]\) Endpoint'
lspci_has lspci-nic-root "$PB" 'MSI-X: Enable\+'
for d in "$RP" "$PA" "$PB"; do
	[ -n "$d" ] && lspci -vvv -s "$d" 2>/dev/null
done >/tmp/lspci.txt
golden net-user /tmp/lspci.txt

# Every PCI Express function has 4096 bytes of config space (conventional
# ones, such as QEMU's q35 chipset functions, have 256).
bad=
for d in /sys/bus/pci/devices/*; do
	lspci -vv -s "${d##*/}" 2>/dev/null | grep -q 'Capabilities: .* Express' ||
		continue
	s=$(stat -c %s "$d/config")
	[ "$s" = 4096 ] || bad="$bad ${d##*/}:$s"
done
if [ -z "$bad" ]; then pass config-4096; else fail config-4096 "$bad"; fi

# DHCP from each -netdev user, and its gateway answers pings.
ADDR_A=$(dhcp "$A")
expect_eq dhcp-rp 10.0.2.15 "$ADDR_A"
expect_eq dhcp-root 10.0.3.15 "$(dhcp "$B")"
check ping-rp ping -c 2 -W 5 10.0.2.2
check ping-root ping -c 2 -W 5 10.0.3.2

# The host sends xfer_size bytes to port 5001 through hostfwd, the guest
# checks the sum; meanwhile it reads a console line.
XSIZE=$(arg xfer_size)
XSHA=$(arg xfer_sha)
xfer_listen 5001 /tmp/rx || fail xfer-in "nc does not listen on 5001"
echo TEST-HOST

# Console input while a NIC passes traffic: the transfer once it has
# begun, and pings that go on until the line is read.
rxp() { cat "/sys/class/net/$A/statistics/rx_packets"; }
# (Without a lease nothing will come: do not wait for it.)
[ -n "$ADDR_A" ] && wait_for 60 test -s /tmp/rx
r0=$(rxp)
ping -i 0.1 10.0.2.2 >/dev/null 2>&1 &
pingpid=$!
echo TEST-WAITINPUT
if read -t 60 -r line; then
	r1=$(rxp)
	if [ "$line" != "$(arg input)" ]; then
		fail stdin-traffic "want '$(arg input)' got '$line'"
	elif [ "$r1" -gt "$r0" ]; then
		pass stdin-traffic
	else
		fail stdin-traffic "no packets came while waiting for input"
	fi
else
	fail stdin-traffic "no input line within 60 s"
fi
kill $pingpid 2>/dev/null

if [ -n "$ADDR_A" ]; then
	xfer_check xfer-in /tmp/rx "$XSIZE" "$XSHA"
	# The first back_size bytes back to the host's sink, which answers
	# with their sum.
	head -c "$(arg back_size)" /tmp/rx >/tmp/tx
	rm -f /tmp/rx
	xfer_send xfer-out 10.0.2.2 "$(arg sink)" /tmp/tx "$(arg back_size)" \
		"$(arg back_sha)"
	rm -f /tmp/tx
else
	kill $XFER_PID 2>/dev/null
	fail xfer-in "no DHCP lease on $A"
	fail xfer-out "no DHCP lease on $A"
fi

# Move the BARs: remove the root port (with the NIC below it) and the
# root-bus NIC, rescan, and have Linux place them elsewhere: it assigns
# first fit, largest alignment first, so the same devices would land where
# they were. The root-bus NIC is given an alignment that none of its BARs
# has now (resource_alignment resizes them to it): its BARs must move; and
# at least 2 MiB, more than the port's windows need, so it is placed
# before them and pushes them, and the NIC behind the port, along. Both
# NICs must then work where they are.
ctz() {
	local v=$(($1)) n=0
	[ "$v" = 0 ] && { echo 64; return; }
	while [ $((v & 1)) = 0 ]; do v=$((v >> 1)); n=$((n + 1)); done
	echo $n
}
bars_a=$(pci_mem_bars "$PA")
bars_b=$(pci_mem_bars "$PB")
order=21
for a in $(echo "$bars_b" | cut -d' ' -f2); do
	z=$(($(ctz "$a") + 1))
	[ $z -gt $order ] && order=$z
done
# moved NAME BDF OLD: each memory BAR of BDF is somewhere else than in OLD.
moved() {
	local new i a n
	new=$(pci_mem_bars "$2")
	echo "$3" | while read -r i a; do
		n=$(echo "$new" | awk -v i="$i" '$1 == i { print $2 }')
		[ -n "$n" ] && [ "$((n))" != "$((a))" ] ||
			echo "BAR $i at $a, then at ${n:-nothing}"
	done >/tmp/unmoved
	if [ -s /tmp/unmoved ]; then
		fail "$1" "$2: $(head -n 2 /tmp/unmoved | tr '\n' ';')"
	else
		pass "$1"
	fi
}
if [ $order -gt 28 ]; then
	fail bar-moved-root "$PB's BARs are aligned to 2^$((order - 1)): no room to move them"
fi
echo 1 >"/sys/bus/pci/devices/$RP/remove"
echo 1 >"/sys/bus/pci/devices/$PB/remove"
echo "$order@$PB" >/sys/bus/pci/resource_alignment
echo 1 >/sys/bus/pci/rescan
if wait_for 20 nics; then
	PA=$(nic_pci "$A")
	PB=$(nic_pci "$B")
	moved bar-moved-rp "$PA" "$bars_a"
	moved bar-moved-root "$PB" "$bars_b"
	bound bar-move-bind-rp "$A" "$MAC_RP"
	bound bar-move-bind-root "$B" "$MAC_ROOT"
	works() {
		local got
		got=$(dhcp "$1")
		[ "$got" = "$2" ] || { echo "DHCP on $1 gave '$got'"; return 1; }
		ping -c 2 -W 5 "$3" >/dev/null || { echo "no answer from $3"; return 1; }
	}
	check bar-move-rp works "$A" 10.0.2.15 10.0.2.2
	check bar-move-root works "$B" 10.0.3.15 10.0.3.2
else
	fail bar-moved-rp "the NICs did not come back after the rescan"
fi
