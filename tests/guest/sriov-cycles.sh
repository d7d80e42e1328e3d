# Many composed VFs, enabled and disabled again and again: a PF
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
#
# The cases, on sriovm and QEMU 11.1: the guest gets CPUs for the VFs'
# MSI-X vectors (sriov_smp); the time limit is 2T and T/3 a cycle (255
# VFs: 2T and both waits). mem-watch samples the VMM's memory beyond guest
# RAM at the TEST-MEM lines and, given its last argument (sriovm's, with
# more than one cycle), fails the case if the memory grows by more than
# that many KiB from the first cycle to the last. In make check: 31 VFs,
# 20 cycles, 5 on QEMU 11.1, whose cycles take 18-27 s in the rig (sriovm
# 8-19 s; the many cycles are there for sriovm's memory).
#@case sriov-31-cycles vmms="sriovm qemu11" smp=$(sriov_smp 31) mem=512
#@	timeout=$((2 * T + $(vmm_is qemu11 5 20) * T / 3))
#@	args="$(sriov_many_args 31)" hostmark=TEST-MEM
#@	append="sriovm.vfs=31 sriovm.cycles=$(vmm_is qemu11 5 20)
#@		sriovm.wait=$(sriov_wait 31)"
#@	host="$(shq "$ROOT/tests/harness/mem-watch") 512 $(vmm_is sriovm 256)"
#@pass modules pf pf-bound totalvfs macs-distinct cycles
# The slow set (make check-slow): 255 VFs, one cycle (QEMU 11.1 took 21
# min for it in the rig), and on sriovm 31 VFs 100 times, its memory flat
# (QEMU 11.1 runs its cycles in make check).
#@case sriov-255 slow=1 vmms="sriovm qemu11" smp=$(sriov_smp 255) mem=1024
#@	timeout=$((2 * T + 2 * $(sriov_wait 255)))
#@	args="$(sriov_many_args 255)" hostmark=TEST-MEM
#@	append="sriovm.vfs=255 sriovm.cycles=1 sriovm.wait=$(sriov_wait 255)"
#@	host="$(shq "$ROOT/tests/harness/mem-watch") 1024"
#@pass modules pf pf-bound totalvfs macs-distinct cycles
#@case sriov-31-cycles-100 slow=1 vmms=sriovm smp=$(sriov_smp 31) mem=512
#@	timeout=$((2 * T + 100 * T / 3))
#@	args="$(sriov_many_args 31)" hostmark=TEST-MEM
#@	append="sriovm.vfs=31 sriovm.cycles=100 sriovm.wait=$(sriov_wait 31)"
#@	host="$(shq "$ROOT/tests/harness/mem-watch") 512 256"
#@pass modules pf pf-bound totalvfs macs-distinct cycles

NVF=$(arg vfs)
CYCLES=$(arg cycles 20)
WAIT=$(arg wait 120)
check modules modules_load
. /lib/sriovm/sriov.sh
sriov_start "$NVF" || return

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
