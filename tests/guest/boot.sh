# Platform basics: CPUs, RAM, clock source, command line, ECAM, PCI.
# Reads sriovm.ncpus=N and sriovm.mem=MiB (the expected -smp and -m).
#
#@case boot-smp1-stdin-null smp=1 mem=256 stdin=null
#@pass ncpus mem clocksource cmdline ecam hostbridge tools modules
# The boot that sriovm-asan runs too.
#@case boot-smp2-highmem-stdin-file vmms=+sriovm-asan smp=2 mem=4608
#@	stdin=file input=not-read
#@pass ncpus mem clocksource cmdline ecam hostbridge tools modules

expect_eq ncpus "$(arg ncpus 1)" "$(grep -c '^processor' /proc/cpuinfo)"

# RAM the firmware map (E820) gives: at most -m, and at most 16 MiB less
# (holes below 1 MiB, ACPI data).
ram=0
for d in /sys/firmware/memmap/*; do
	[ "$(cat "$d/type")" = "System RAM" ] || continue
	ram=$((ram + $(cat "$d/end") - $(cat "$d/start") + 1))
done
want=$(($(arg mem 0) << 20))
if within $((want - (16 << 20))) "$ram" "$want"; then
	pass mem
else
	fail mem "E820 RAM $((ram >> 10)) KiB for -m $(arg mem 0)"
fi

expect_eq clocksource kvm-clock \
	"$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"

# The harness ends the command line with this word: it arrived intact.
last=
for w in $(cat /proc/cmdline); do last=$w; done
expect_eq cmdline sriovm.end "$last"

# ECAM: the MCFG window must be accepted (else no extended config space).
ecam=$(dmesg | grep 'PCI: ECAM')
bad=$(dmesg | grep -E 'not using ECAM|fail to add MMCONFIG|only partially covers')
if [ -n "$bad" ]; then
	fail ecam "$(echo "$bad" | head -n1)"
elif echo "$ecam" | grep -qE 'reserved as (E820 entry|ACPI motherboard resource)'; then
	pass ecam
else
	fail ecam "no accepted ECAM line: $(echo "$ecam" | head -n1)"
fi

hb=/sys/bus/pci/devices/0000:00:00.0
if [ ! -e $hb/config ]; then
	fail hostbridge "no $hb"
else
	vendor=$(od -An -tx2 -N2 $hb/config | tr -d ' ')
	case $vendor in
	"" | ffff) fail hostbridge "config reads vendor '$vendor'" ;;
	*) pass hostbridge ;;
	esac
fi

# The kit itself: trixie's tools run (their libraries are all there) and
# the network modules load.
kit_tools() {
	lspci -nn >/dev/null && ip -d link show lo >/dev/null &&
		ethtool --version >/dev/null
}
check tools kit_tools
kit_modules() {
	modules_load && ip tuntap add dev tap0 mode tap &&
		ip link show tap0 >/dev/null && ip link delete tap0
}
check modules kit_modules
