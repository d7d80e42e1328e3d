# bench/sriov's legacy-access figures: VF 1 of a composed SR-IOV
# virtio-net PF behind a virtio-iommu-pci, given to virtio_vfio_pci and
# driven by vfio-vnet (tests/kit/vfio-vnet.c, "rate") from user space as a
# legacy device (each register access an admin command the PF executes)
# and then as a modern one through the same driver, with the PF's
# interface as the echo peer (PF and VF 1 on one hub). Prints
#   TEST-BENCH legacy|modern READS_PER_S ROUND_TRIPS_PER_S
# A VMM without the admin queue (QEMU 11.1) has the modern line only.
# Kernel command line: sriovm.vfmac=MAC (VF 1's), sriovm.pfmac=MAC,
# sriovm.secs=S (each measurement, default 5).

PFMAC=$(arg pfmac)
VF1MAC=$(arg vfmac)
SECS=$(arg secs 5)
check modules modules_load
check modules-virtio-vfio modules_load_virtio_vfio
. /lib/sriovm/sriov.sh
sriov_start || return
NVF=1
check enable set_numvfs 1
if ! wait_for 30 all_up; then
	fail vfs-up "$(nvfs) VFs, $(nifaces) up"
	return
fi
VF1=$(vfs)
PFI=$(iface "$PF")
ip link set "$PFI" up
check vvfio-bind to_driver "$VF1" virtio_vfio_pci
vfio-vnet echo "$PFI" $((4 * SECS + 60)) >/tmp/echo.log 2>&1 &
ECHO=$!
sleep 1
# rate HOW: one TEST-BENCH line, or a failed check.
rate() {
	local out
	out=$(vfio-vnet rate "$1" "$VF1" "$PFMAC" "$VF1MAC" "$SECS" 2>&1)
	case $out in
	*"vfio-vnet: rate $1 "*)
		echo "$out" | awk -v h="$1" '/^vfio-vnet: rate/ { print "TEST-BENCH", h, $5, $7 }'
		pass "rate-$1" ;;
	*) fail "rate-$1" "$out" ;;
	esac
}
[ "$(platform)" = sriovm ] && rate legacy
rate modern
kill $ECHO 2>/dev/null
