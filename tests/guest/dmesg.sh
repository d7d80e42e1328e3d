# For people debugging a platform: the whole kernel log (with times) and
# how long the boot took. Not part of the checked suite.
echo "== uptime at /init+: $(cut -d' ' -f1 /proc/uptime) s"
dmesg
echo "TEST-DONE $SCENARIO"
console_drain
poweroff -f
