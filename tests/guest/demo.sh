# For people: what the guest sees of the VMM.  Then powers off.
echo "== kernel:      $(uname -r)"
echo "== CPUs:        $(grep -c '^processor' /proc/cpuinfo)"
echo "== memory:      $(sed -n 's/^MemTotal: *//p' /proc/meminfo)"
echo "== clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "== cmdline:     $(cat /proc/cmdline)"
echo "== lspci -nn:"
lspci -nn
echo "== dmesg (ECAM):"
dmesg | grep -E 'ECAM|MMCONFIG'
echo "TEST-DONE $SCENARIO"
console_drain
poweroff -f
