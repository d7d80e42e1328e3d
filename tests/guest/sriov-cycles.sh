# Many composed VFs, enabled and disabled again and again (issue 4): a PF
# at 01:00.0 with sriovm.vfs VFs on the functions after it (ARI), none
# with a backend (sriov_many_args in tests/harness/lib.sh). Each cycle
# writes NVF to sriov_numvfs, waits until NVF VFs exist each with its
# virtio_net interface, writes 0 and waits until they are gone. Every
# cycle must bring the same VFs with the same MACs.
# Per cycle it prints "TEST-CYCLE c on_cs off_cs" (centiseconds from the
# write to all up / all gone), and TEST-MEM lines around the cycles for a
# host-side sampler of the VMM's memory (tests/harness/mem-watch).
# Kernel command line: sriovm.vfs (NVF), sriovm.cycles (default 20),
# sriovm.wait (seconds a state may take, default 120).

NVF=$(arg vfs)
CYCLES=$(arg cycles 20)
WAIT=$(arg wait 120)
check modules modules_load
. /lib/sriovm/sriov.sh
sriov_start "$NVF" || return

# mem LABEL [SECONDS]: the sampler's cue ("TEST-MEM LABEL .", the dot that
# the line is whole); the state holds SECONDS (default 5), then
# "TEST-MEM-HELD LABEL ." tells the sampler that a sample from now on
# would be late. In the rig a loaded L1 took more than 2 s to sample QEMU
# with 255 VFs; the first cue also starts the sampler.
mem() {
	echo "TEST-MEM $1 ."
	sleep "${2:-5}"
	echo "TEST-MEM-HELD $1 ."
}

mem off-0 15
bad=
c=1
MACS=
while [ $c -le "$CYCLES" ]; do
	t0=$(now_cs)
	if ! set_numvfs "$NVF" 2>/tmp/enable.err; then
		bad="cycle $c: echo $NVF: $(cat /tmp/enable.err)"
		break
	fi
	if ! wait_for "$WAIT" all_up; then
		bad="cycle $c: $(nvfs) VFs, $(nifaces) interfaces after ${WAIT}s"
		break
	fi
	t1=$(now_cs)
	m=$(macs | tr '\n' ' ')
	if [ $c = 1 ]; then
		MACS=$m
		n=$(echo $MACS | tr ' ' '\n' | sort -u | wc -l)
		expect_eq macs-distinct "$NVF" "$n"
	elif [ "$m" != "$MACS" ]; then
		bad="cycle $c: MACs changed"
		break
	fi
	# Memory samples in the first cycle and the last.
	[ $c = 1 ] || [ $c = "$CYCLES" ] && mem "on-$c"
	t2=$(now_cs)
	if ! set_numvfs 0 2>/tmp/disable.err; then
		bad="cycle $c: echo 0: $(cat /tmp/disable.err)"
		break
	fi
	if ! wait_for "$WAIT" all_gone; then
		bad="cycle $c: $(nvfs) VFs left after ${WAIT}s"
		break
	fi
	t3=$(now_cs)
	echo "TEST-CYCLE $c $((t1 - t0)) $((t3 - t2))"
	[ $c = 1 ] || [ $c = "$CYCLES" ] && mem "off-$c"
	c=$((c + 1))
done
if [ -z "$bad" ]; then pass "cycles"; else fail cycles "$bad"; fi
echo "TEST-MEM done ."
