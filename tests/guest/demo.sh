# For people (make demo): what the guest sees of the VMM, then SR-IOV with
# QEMU's docs/system/sriov.rst command line (tests/harness/demo): three
# VFs appear, each gets an address from its own -netdev user and pings
# its gateway, and they go away. Then powers off.
echo "== kernel:      $(uname -r)"
echo "== CPUs:        $(grep -c '^processor' /proc/cpuinfo)"
echo "== memory:      $(sed -n 's/^MemTotal: *//p' /proc/meminfo)"
echo "== clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "== cmdline:     $(cat /proc/cmdline)"
echo "== dmesg (ECAM):"
dmesg | grep -E 'ECAM|MMCONFIG'
modules_load
echo "== lspci -nn:"
lspci -nn
. /lib/sriovm/sriov.sh
if sriov_pf >/dev/null && wait_for 10 bound "$PF"; then
	NVF=$(cat "$P/sriov_totalvfs")
	echo "== the PF $PF: sriov_totalvfs $NVF; lspci -vvv, its SR-IOV capability:"
	lspci -vvv -s "$PF" 2>/dev/null | sed -n '/SR-IOV/,/VF Migration/p'
	echo "== echo $NVF > /sys/bus/pci/devices/$PF/sriov_numvfs"
	set_numvfs "$NVF"
	wait_for 30 all_up
	lspci -nn
	for v in $PF $(vfs); do
		i=$(iface "$v")
		printf '== %s %s %s: ' "$v" "$i" "$(cat "/sys/class/net/$i/address")"
		a=$(dhcp "$i")
		printf 'DHCP %s, ' "${a:-none}"
		ping -c 2 -W 5 -I "$i" 10.0.2.2 | sed -n 's/^.*packets transmitted, //p'
	done
	echo "== echo 0 > /sys/bus/pci/devices/$PF/sriov_numvfs"
	set_numvfs 0
	wait_for 10 all_gone
	lspci -nn
else
	echo "== no SR-IOV PF (sriovm.test=demo without the sriov.rst devices)"
fi
echo "TEST-DONE $SCENARIO"
console_drain
poweroff -f
