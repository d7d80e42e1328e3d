# For people debugging a platform: the kernel's warnings and errors, and
# how long the boot took. Not part of the checked suite.
echo "== uptime at /init+: $(cut -d' ' -f1 /proc/uptime) s"
dmesg -r | grep "^<[0-4]>"
echo "TEST-DONE $SCENARIO"
poweroff -f
