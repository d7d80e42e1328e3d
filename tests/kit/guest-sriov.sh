# SR-IOV helpers of the guest scenarios (sriov.sh, sriov-tap.sh,
# sriov-cycles.sh, demo.sh), installed as /lib/sriovm/sriov.sh. NVF is the
# number of VFs the scenario enables.

# sriov_pf: sets PF (0000:BB:DD.F) and P (its sysfs folder) to the one
# function with an SR-IOV capability (sriov_totalvfs); check "pf".
sriov_pf() {
	local d
	PF=
	for d in /sys/bus/pci/devices/*; do
		[ -f "$d/sriov_totalvfs" ] || continue
		[ -z "$PF" ] || { fail pf "two PFs: $PF ${d##*/}"; return 1; }
		PF=${d##*/}
	done
	[ -n "$PF" ] || { fail pf "no function has sriov_totalvfs"; return 1; }
	P=/sys/bus/pci/devices/$PF
	pass pf
}

# sriov_start [TOTAL]: sriov_pf, then checks "pf-bound" (the PF bound to
# virtio-pci and virtio_net, with its interface) and, given TOTAL,
# "totalvfs" (sriov_totalvfs is TOTAL).
sriov_start() {
	sriov_pf || return 1
	if wait_for 10 bound "$PF"; then
		pass pf-bound
	else
		fail pf-bound "$PF: driver '$(pci_driver "$PF")'"
	fi
	[ $# = 0 ] || expect_eq totalvfs "$1" "$(cat "$P/sriov_totalvfs")"
}

# iface BDF: the network interface of the virtio device below a function.
iface() {
	local n
	for n in "/sys/bus/pci/devices/$1/"virtio*/net/*; do
		[ -e "$n" ] && { echo "${n##*/}"; return 0; }
	done
	return 1
}
# bound BDF: the function is bound to virtio-pci and its virtio device to
# virtio_net, with an interface.
bound() {
	local v
	[ "$(pci_driver "$1")" = virtio-pci ] || return 1
	v=$(readlink /sys/bus/pci/devices/$1/virtio*/driver) || return 1
	[ "${v##*/}" = virtio_net ] && iface "$1" >/dev/null
}
# For a PF and a VF on one hub (-netdev hubport): hub_peer BDF gives the
# PF's interface 10.0.6.1/24 and moves VF BDF's into network namespace
# "peer" with 10.0.6.2/24; hub_ping pings both ways.
hub_peer() {
	local pfi i
	pfi=$(iface "$PF") && i=$(iface "$1") || return 1
	ip -4 -o addr show dev "$pfi" | grep -q ' 10\.0\.6\.1/' ||
		ip addr add 10.0.6.1/24 dev "$pfi" || return 1
	ip link set "$pfi" up || return 1
	ip netns add peer 2>/dev/null
	ip link set "$i" netns peer &&
		in_ns peer ip addr add 10.0.6.2/24 dev "$i" &&
		in_ns peer ip link set "$i" up && in_ns peer ip link set lo up
}
hub_ping() {
	ping -c 2 -W 5 10.0.6.2 >/dev/null && in_ns peer ping -c 2 -W 5 10.0.6.1 >/dev/null
}

# group_of BDF: its IOMMU group's number.
group_of() { readlink "/sys/bus/pci/devices/$1/iommu_group" | sed 's,.*/,,'; }

# to_driver BDF DRIVER: BDF leaves its driver for DRIVER (driver_override);
# to_driver BDF "": back to the one that matches it.
to_driver() {
	local d=/sys/bus/pci/devices/$1
	if [ -e "$d/driver" ]; then echo "$1" >"$d/driver/unbind" || return 1; fi
	echo "$2" >"$d/driver_override" && echo "$1" >/sys/bus/pci/drivers_probe
}

# vfs: the VFs' functions from the PF's virtfnN links, in N order, on one
# line.
vfs() {
	local i=0 l=
	while [ -e "$P/virtfn$i" ]; do
		l="$l $(readlink -f "$P/virtfn$i" | sed 's,.*/,,')"
		i=$((i + 1))
	done
	echo $l
}
# other_functions: the functions on the PF's bus besides the PF, on one
# line.
other_functions() {
	local d l=
	for d in "/sys/bus/pci/devices/${PF%:*}:"*; do
		[ -e "$d" ] && [ "${d##*/}" != "$PF" ] && l="$l ${d##*/}"
	done
	echo $l
}
numvfs() { cat "$P/sriov_numvfs"; }
set_numvfs() { echo "$1" >"$P/sriov_numvfs"; }
macs() {
	local v
	for v in $(vfs); do cat "/sys/class/net/$(iface "$v")/address"; done
}

# Counts without a process per VF (a fork costs milliseconds in a nested
# guest, and the waits below poll hundreds of VFs).
# nglob PATTERN: how many paths PATTERN matches.
nglob() {
	set -- $1
	[ -e "$1" ] && echo $# || echo 0
}
# nvfs, nifaces: the PF's virtfnN links; the VFs' network interfaces
# (each one a VF bound to virtio-pci and virtio_net).
nvfs() { nglob "$P/virtfn*"; }
nifaces() { nglob "$P/virtfn*/virtio*/net/*"; }
# all_up: NVF VFs, each with its interface.
all_up() { [ "$(nvfs)" = "$NVF" ] && [ "$(nifaces)" = "$NVF" ]; }
# all_gone: no VF left in sysfs, on the bus or as a link.
all_gone() {
	[ "$(nvfs)" = 0 ] && [ "$(nglob "/sys/bus/pci/devices/${PF%:*}:*")" = 1 ]
}
# now_cs: the guest's uptime in centiseconds (its integer part is never
# 0 by the time a scenario runs, so no leading zero makes it octal).
now_cs() {
	local u
	read -r u _ </proc/uptime
	echo "${u%.*}${u#*.}"
}

# mem LABEL [SECONDS]: the cue of the host-side memory sampler
# (tests/harness/mem-watch): "TEST-MEM LABEL .", the dot that the line is
# whole; the state holds SECONDS (default 5), then "TEST-MEM-HELD LABEL ."
# tells the sampler that a sample from now on would be late. In the rig a
# loaded L1 took more than 2 s to sample QEMU with 255 VFs; the first cue
# also starts the sampler.
mem() {
	echo "TEST-MEM $1 ."
	sleep "${2:-5}"
	echo "TEST-MEM-HELD $1 ."
}
