# Reboots at once.  Without -no-reboot the VMM boots the guest again (the
# runner counts TEST-BOOT lines); with -no-reboot it exits with status 0.
#
# Both on sriovm-asan too: a VM torn down and the next one built.
#@case reboot vmms=+sriovm-asan noreboot=0 boots=2 boots_max_ms=60000
#@	status=137 timeout=$((2 * T))
#@case reboot-noreboot vmms=+sriovm-asan status=0 boots_eq=1

echo TEST-BOOT
echo "TEST-DONE $SCENARIO"
console_drain
reboot -f
sleep 5
fail reboot "reboot -f returned"
