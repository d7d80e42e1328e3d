# Helpers for the guest scenarios (busybox sh, sourced by /init).
# Every check prints exactly one line to the console:
#   TEST-PASS <name>            or      TEST-FAIL <name> <reason>
# Console output is expensive in the rig (~120 us a byte), so print little.

FAILED=0

# This busybox runs its own applet of a name (ip, for one) before it looks
# at PATH: these make the names mean trixie's tools.  A "sh -c" child
# sources this file to get them too.
ip() { /usr/bin/ip "$@"; }
lspci() { /usr/bin/lspci "$@"; }
ethtool() { /usr/sbin/ethtool "$@"; }

# arg NAME [DEFAULT]: the value of sriovm.NAME=VALUE on the kernel cmdline.
arg() {
	local w
	for w in $(cat /proc/cmdline); do
		case $w in
		"sriovm.$1="*) echo "${w#*=}"; return 0 ;;
		esac
	done
	echo "$2"
}

pass() { echo "TEST-PASS $1"; }

fail() {
	local name=$1
	shift
	echo "TEST-FAIL $name $*"
	FAILED=1
}

# check NAME CMD...: passes if CMD succeeds, else fails with its output
# (joined into one line and cut short).
check() {
	local name=$1 out st=0
	shift
	out=$("$@" 2>&1) || st=$?
	if [ $st = 0 ]; then
		pass "$name"
	else
		fail "$name" "$(echo "($*) exit $st: $out" | tr '\n\t' '  ' |
			cut -c1-300)"
	fi
}

# expect_eq NAME WANT GOT
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "want '$2' got '$3'"
	fi
}

# within LO VALUE HI: true if LO <= VALUE <= HI (integers).
within() { [ "$1" -le "$2" ] && [ "$2" -le "$3" ]; }

# Writes VALUE (0-255) to the isa-debug-exit port 0xf4: the VMM exits
# with status (VALUE << 1) | 1.
debug_exit() {
	printf "\\$(printf %o "$1")" |
		dd of=/dev/port bs=1 seek=244 count=1 conv=notrunc 2>/dev/null
}

# Loads the kit's modules (virtio_net and friends, tun) in dependency order.
modules_load() {
	local m
	for m in $(cat /etc/modules.order); do
		grep -q "^${m%.ko} " /proc/modules ||
			insmod "/lib/modules/$(uname -r)/$m" || return 1
	done
}

# dmesg_has REGEX: the kernel log has a line matching REGEX (grep -E).
dmesg_has() { dmesg | grep -qE "$1"; }

# modules_load_iommu: virtio-iommu and vfio (vfio-pci, type1). Functions
# the VIOT table puts behind the IOMMU wait for virtio_iommu before their
# drivers bind. virtio-iommu on x86 remaps no interrupts, hence
# allow_unsafe_interrupts, as on QEMU.
modules_load_iommu() {
	local m p
	for m in $(cat /etc/modules-iommu.order); do
		p=
		[ "$m" = vfio_iommu_type1.ko ] && p=allow_unsafe_interrupts=1
		grep -q "^$(echo "${m%.ko}" | tr - _) " /proc/modules ||
			insmod "/lib/modules/$(uname -r)/$m" $p || return 1
	done
}

# modules_load_virtio_vfio: modules_load_iommu, then virtio_vfio_pci (the
# kit builds it: the kernel package lacks it), which needs vfio and
# vfio-pci-core from those. It taints the kernel (out of tree, unsigned):
# harmless. It binds only through driver_override.
modules_load_virtio_vfio() {
	modules_load_iommu || return 1
	grep -q '^virtio_vfio_pci ' /proc/modules ||
		insmod "/lib/modules/$(uname -r)/virtio-vfio-pci.ko"
}

# Waits until the console has sent everything written so far: echo returns
# once its text is in the tty buffer, and a VM that ends right after would
# lose the tail. Re-applying the settings is tcsetattr(TCSADRAIN).
console_drain() {
	stty "$(stty -g)" 2>/dev/null || sleep 1
}

finish() {
	echo "TEST-DONE $SCENARIO"
	console_drain
	debug_exit "$FAILED"
	# No debug-exit device: power off instead of panicking.
	sleep 1
	echo "TEST-FAIL exit debug-exit port did not stop the VM"
	poweroff -f
}

# --- PCI and network helpers ---

# platform: whose machine this is, from the host bridge's IDs: sriovm
# (1b36:0008), q35 (QEMU's, 8086:29c0) or unknown-VVVV:DDDD.
platform() {
	local hb=/sys/bus/pci/devices/0000:00:00.0 v d
	v=$(cat $hb/vendor 2>/dev/null)
	d=$(cat $hb/device 2>/dev/null)
	case $v:$d in
	0x1b36:0x0008) echo sriovm ;;
	0x8086:0x29c0) echo q35 ;;
	*) echo "unknown-${v#0x}:${d#0x}" ;;
	esac
}

# wait_for SECONDS CMD...: runs CMD every 0.2 s until it succeeds.
wait_for() {
	local n=$(($1 * 5))
	shift
	until "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.2
	done
}

# nic_by_mac MAC: the network interface with that address.
nic_by_mac() {
	local n
	for n in /sys/class/net/*; do
		[ "$(cat "$n/address" 2>/dev/null)" = "$1" ] &&
			{ echo "${n##*/}"; return 0; }
	done
	return 1
}

# nic_pci IFACE: the PCI function (0000:BB:DD.F) of a virtio interface,
# whose device link points at the virtio device below the function.
nic_pci() {
	local p
	p=$(readlink -f "/sys/class/net/$1/device") || return 1
	p=${p%/*}
	echo "${p##*/}"
}

# pci_parent BDF: the bridge above a function; nothing on a root bus.
pci_parent() {
	local p
	p=$(readlink -f "/sys/bus/pci/devices/$1") || return 1
	p=${p%/*}
	p=${p##*/}
	case $p in pci*) ;; *) echo "$p" ;; esac
}

# pci_driver BDF: the name of the driver bound to a function.
pci_driver() {
	local l
	l=$(readlink "/sys/bus/pci/devices/$1/driver") && echo "${l##*/}"
}

# pci_mem_bars BDF: "INDEX START" of each memory BAR (sysfs resource).
pci_mem_bars() {
	awk '$3 ~ /2..$/ && $1 != "0x0000000000000000" && NR <= 6 {
		print NR - 1, $1 }' "/sys/bus/pci/devices/$1/resource"
}

# in_ns NETNS CMD...: runs CMD in network namespace NETNS ("": this one).
in_ns() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# tcp_listening PORT [NETNS]: a socket listens on TCP PORT (IPv4 or IPv6)
# in this network namespace or NETNS.
tcp_listening() {
	in_ns "$2" awk -v p="$(printf '%04X' "$1")" '
		$4 == "0A" && $2 ~ (":" p "$") { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# xfer_listen PORT FILE: receives one TCP connection's bytes on PORT into
# FILE, in the background (XFER_PID); true once it listens.
xfer_listen() {
	nc -l -p "$1" </dev/null >"$2" 2>/dev/null &
	XFER_PID=$!
	wait_for 10 tcp_listening "$1"
}

# xfer_check NAME FILE SIZE SHA256 [SECONDS]: waits (default 240 s; 60 s
# if nothing comes) for the transfer xfer_listen started to end, then
# checks what came.
xfer_check() {
	local got t0
	t0=$(date +%s)
	while kill -0 $XFER_PID 2>/dev/null; do
		got=$(stat -c %s "$2")
		if [ $(($(date +%s) - t0)) -ge "${5:-240}" ] ||
			{ [ "$got" = 0 ] && [ $(($(date +%s) - t0)) -ge 60 ]; }; then
			kill $XFER_PID 2>/dev/null
			fail "$1" "not done in $(($(date +%s) - t0)) s: $got bytes came"
			return
		fi
		sleep 0.2
	done
	wait $XFER_PID 2>/dev/null
	got=$(stat -c %s "$2")
	if [ "$got" = "$3" ] && [ "$(sha "$2")" = "$4" ]; then
		pass "$1"
	else
		fail "$1" "got $got bytes of $3, sha256 $(sha "$2" | cut -c1-16)..."
	fi
}

# xfer_send NAME ADDR PORT FILE SIZE SHA256 [NETNS]: sends FILE (from
# NETNS) to a sink at ADDR:PORT that answers with the sha256 and size of
# what it got (netpeer --sink on the host, xfer_sink in the guest), and
# checks the answer. Retries for 30 s while nothing listens.
xfer_send() {
	local name=$1 addr=$2 port=$3 file=$4 want="$6 $5" ns=$7 n=150
	until in_ns "$ns" nc -w 10 "$addr" "$port" <"$file" >/tmp/reply \
		2>/dev/null && [ -s /tmp/reply ]; do
		n=$((n - 1))
		[ $n -gt 0 ] || { fail "$name" "no answer from $addr:$port"; return; }
		sleep 0.2
	done
	expect_eq "$name" "$want" "$(cat /tmp/reply)"
}

# xfer_sink PORT [NETNS]: in the background, answers one TCP connection on
# PORT with the sha256 and size of what came, as netpeer --sink does; true
# once it listens.
xfer_sink() {
	in_ns "$2" nc -l -p "$1" -e sh -c 'f=$(mktemp); cat >"$f"
		echo "$(sha256sum <"$f" | cut -d" " -f1) $(stat -c %s "$f")"
		rm -f "$f"' </dev/null >/dev/null 2>&1 &
	wait_for 10 tcp_listening "$1" "$2"
}

# ipv4 IFACE: the interface's first IPv4 address.
ipv4() {
	ip -4 -o addr show dev "$1" | awk '{ sub(/\/.*/, "", $4); print $4; exit }'
}

# dhcp IFACE: brings IFACE up and asks for a lease (busybox udhcpc with the
# kit's script, which applies it); prints the address it got.
dhcp() {
	ip link set "$1" up || return 1
	udhcpc -i "$1" -s /lib/sriovm/udhcpc.script -q -n -t 5 -T 3 \
		>"/tmp/udhcpc.$1.log" 2>&1 || return 1
	ipv4 "$1"
}

# sha FILE: the sha256 of a file (stdin if -).
sha() { sha256sum "$1" | cut -d' ' -f1; }

# golden NAME FILE: compares FILE (text the guest made, such as lspci -vvv)
# with the kit's golden file for this platform: /tests/golden/NAME.txt on
# sriovm's, /tests/golden/PLATFORM/NAME.txt on another if the kit has one
# (golden files are per platform; the repository keeps sriovm's). A
# mismatch prints a few TEST-DIFF lines after the TEST-FAIL. With
# sriovm.golden=update (the harness's SRIOVM_GOLDEN_UPDATE=1) prints FILE
# between TEST-GOLDEN-BEGIN NAME PLATFORM and TEST-GOLDEN-END NAME for the
# harness to write instead.
golden() {
	local name=$1 file=$2 plat want n
	plat=$(platform)
	if [ "$(arg golden)" = update ]; then
		echo "TEST-GOLDEN-BEGIN $name $plat"
		cat "$file"
		echo "TEST-GOLDEN-END $name"
		return 0
	fi
	if [ "$plat" = sriovm ]; then
		want=golden/$name.txt
	else
		want=golden/$plat/$name.txt
		[ -f "/tests/$want" ] || return 0
	fi
	if [ ! -f "/tests/$want" ]; then
		fail "golden-$name" "no tests/guest/$want (SRIOVM_GOLDEN_UPDATE=1 makes it)"
	elif cmp -s "/tests/$want" "$file"; then
		pass "golden-$name"
	else
		diff -U0 "/tests/$want" "$file" | grep '^[-+][^-+]' >/tmp/golden.diff
		n=$(wc -l </tmp/golden.diff)
		fail "golden-$name" "$n lines differ from tests/guest/$want (- want, + got):"
		head -n 8 /tmp/golden.diff | cut -c1-100 | sed 's/^/TEST-DIFF /'
	fi
}
