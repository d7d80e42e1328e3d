# Reboots at once.  Without -no-reboot the VMM boots the guest again (the
# runner counts TEST-BOOT lines); with -no-reboot it exits with status 0.
echo TEST-BOOT
echo "TEST-DONE $SCENARIO"
console_drain
reboot -f
sleep 5
fail reboot "reboot -f returned"
