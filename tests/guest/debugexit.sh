# Writes sriovm.exitval=V to the debug-exit port: the VMM must exit (V<<1)|1.
#
#@case debugexit append=sriovm.exitval=5 status=11
#@pass debugexit-reached

v=$(arg exitval 5)
pass debugexit-reached
echo "TEST-DONE $SCENARIO"
debug_exit "$v"
sleep 5
fail debugexit "the VM still runs after writing $v to port 0xf4"
