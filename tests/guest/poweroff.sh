# Ends the VM through ACPI power-off: the VMM must exit with status 0.
#
#@case poweroff status=0
#@pass poweroff-reached

pass poweroff-reached
echo "TEST-DONE $SCENARIO"
console_drain
poweroff -f
sleep 5
fail poweroff "poweroff -f returned"
