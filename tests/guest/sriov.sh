# Composable virtio-net SR-IOV, QEMU's docs/system/sriov.rst
# command line: a PF at 01:00.0 behind a root port with three VFs given by
# sriov-pf= at functions 1-3, each function on its own -netdev user. The
# guest enables, uses and disables the VFs through sysfs as on hardware.
# It checks only what the spec and QEMU 11.1 share. Not checked, because
# QEMU 11.1 differs from the spec there: an ARI capability on the PF (QEMU
# has none, so no ARI forwarding either), the VFs' Interrupt Pin (QEMU: A),
# the VFs' Memory Space Enable (QEMU: writable), the PF's Multi-Function
# bit (QEMU: clear) and option ROM (QEMU: 256 KiB); nor which MAC each VF
# gets without mac= (QEMU counts up in command-line order), only that they
# differ and stay.
# Kernel command line: sriovm.vfs (TotalVFs wanted, default 3).
#
# On QEMU 11.1 (the seed system) and sriovm, plain and under ASan; QEMU
# 7.2 has no sriov-pf=. The PF's lspci text is compared with the golden
# file on sriovm's platform only (golden_pass).
#@case sriov vmms="sriovm sriovm-asan qemu11" mem=512 timeout=$((2 * T))
#@	args="$(sriov_rst_args)" append=sriovm.vfs=3
#@pass modules pf pf-bound totalvfs numvfs-0 vfs-hidden lspci-sriov
#@	enable numvfs virtfn-links vfs-on-bus lspci-vfs vfs-bound
#@	macs-distinct pf-dhcp vfs-dhcp numvfs-busy vf-reset vf-reset-effect
#@	vf-reset-others vf-reset-works disable vfs-gone numvfs-range
#@	reenable reenable-vfs reenable-macs reenable-dhcp pf-unbind
#@	pf-rebind pf-rebind-enable pf-rebind-macs pf-rebind-disable
#@	$(golden_pass sriov-pf)

NVF=$(arg vfs 3)
check modules modules_load

. /lib/sriovm/sriov.sh
sriov_start "$NVF" || return
expect_eq numvfs-0 0 "$(numvfs)"
# Disabled VFs are absent: nothing else answers on the PF's bus.
expect_eq vfs-hidden "" "$(other_functions)"

# What lspci decodes of the capability, on every platform.
lspci -vvv -s "$PF" >/tmp/pf.txt 2>/dev/null
t=$(cat /tmp/pf.txt)
bad=
for re in 'Single Root I/O Virtualization \(SR-IOV\)' \
	"Initial VFs: $NVF, Total VFs: $NVF, Number of VFs: 0" \
	'VF offset: 1, stride: 1, Device ID: 1041' \
	'Supported Page Size: 00000553, System Page Size: 00000001' \
	'VF Migration: offset: 00000000, BIR: 0'; do
	echo "$t" | grep -qE "$re" || bad="$bad /$re/"
done
if [ -z "$bad" ]; then pass lspci-sriov; else fail lspci-sriov "no$bad"; fi

# Enable: three VFs, sysfs links both ways, 1af4:1041, [virtual] regions,
# each bound to virtio-pci and virtio_net.
# Without VFs nothing below means anything: end at once.
if ! set_numvfs "$NVF" 2>/tmp/enable.err; then
	fail enable "echo $NVF > sriov_numvfs: $(cat /tmp/enable.err)"
	return
fi
pass enable
expect_eq numvfs "$NVF" "$(numvfs)"
wait_for 30 all_up
VFS=$(vfs)
bad=
for v in $VFS; do
	[ "$(readlink -f "/sys/bus/pci/devices/$v/physfn")" = "$(readlink -f "$P")" ] ||
		bad="$bad $v:physfn"
done
[ "$(nvfs)" = "$NVF" ] || bad="$bad only '$VFS'"
if [ -z "$bad" ]; then pass virtfn-links; else fail virtfn-links "$bad"; fi
expect_eq vfs-on-bus "$VFS" "$(other_functions)"
bad=
for v in $VFS; do
	id=$(lspci -n -s "$v" 2>/dev/null | awk '{ print $3 }')
	[ "$id" = 1af4:1041 ] || bad="$bad $v:$id"
	lspci -v -s "$v" 2>/dev/null | grep -q 'Memory at .* \[virtual\]' ||
		bad="$bad $v:no-virtual-region"
done
if [ -z "$bad" ]; then pass lspci-vfs; else fail lspci-vfs "$bad"; fi
bad=
for v in $VFS; do bound "$v" || bad="$bad $v:'$(pci_driver "$v")'"; done
if [ -z "$bad" ]; then pass vfs-bound; else fail vfs-bound "$bad"; fi
MACS=$(macs | tr '\n' ' ')
PFMAC=$(cat "/sys/class/net/$(iface "$PF")/address")
n=$(echo $MACS $PFMAC | tr ' ' '\n' | sort -u | wc -l)
expect_eq macs-distinct $((NVF + 1)) "$n"

# Each function on its own -netdev user: each gets the first lease of its
# own DHCP server, 10.0.2.15 (one shared server would hand out .16, .17
# to the other MACs), and reaches its gateway through its interface.
lease_ping() {
	local name=$1 i v a
	shift
	bad=
	for v in "$@"; do
		i=$(iface "$v")
		a=$(dhcp "$i")
		[ "$a" = 10.0.2.15 ] || { bad="$bad $v:$i:'$a'"; continue; }
		ping -c 1 -W 5 -I "$i" 10.0.2.2 >/dev/null 2>&1 ||
			bad="$bad $v:$i:no-ping"
	done
	if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi
}
lease_ping pf-dhcp "$PF"
lease_ping vfs-dhcp $VFS

# sysfs refuses what hardware would: another count while VFs are enabled
# (EBUSY), and more than TotalVFs (ERANGE); nothing changes.
if set_numvfs $((NVF - 1)) 2>/dev/null; then
	fail numvfs-busy "echo $((NVF - 1)) with $NVF enabled succeeded"
else
	expect_eq numvfs-busy "$NVF $VFS" "$(numvfs) $(vfs)"
fi

# A VF reset through sysfs (FLR, Linux saving and restoring its config
# space around it): that VF's virtio device is reset under its driver (it
# passes no more traffic: virtio_pci of 6.12 does not restore it), the
# other VFs and the PF go on; bound afresh, the VF works again.
V0=${VFS%% *}
drv=/sys/bus/pci/drivers/virtio-pci
if echo 1 >"/sys/bus/pci/devices/$V0/reset" 2>/tmp/reset.err; then
	pass vf-reset
else
	fail vf-reset "$(cat /tmp/reset.err)"
fi
# The interface stays (the driver is still bound): a ping that fails for
# want of one proves nothing.
if ! V0IF=$(iface "$V0"); then
	fail vf-reset-effect "$V0 has no interface after its reset"
elif ping -c 1 -W 3 -I "$V0IF" 10.0.2.2 >/dev/null 2>&1; then
	fail vf-reset-effect "$V0 ($V0IF) still passes traffic after its reset"
else
	pass vf-reset-effect
fi
bad=
for v in $PF $VFS; do
	[ "$v" = "$V0" ] && continue
	ping -c 1 -W 5 -I "$(iface "$v")" 10.0.2.2 >/dev/null 2>&1 ||
		bad="$bad $v:no-ping"
done
[ "$(nvfs)" = "$NVF" ] || bad="$bad vfs:'$(vfs)'"
if [ -z "$bad" ]; then pass vf-reset-others; else fail vf-reset-others "$bad"; fi
echo "$V0" >"$drv/unbind" && echo "$V0" >"$drv/bind"
wait_for 10 bound "$V0"
lease_ping vf-reset-works "$V0"

# Disable: the VFs and their interfaces go away.
check disable set_numvfs 0
wait_for 10 all_gone
expect_eq vfs-gone "0 /" "$(numvfs) /$(other_functions)"
if set_numvfs $((NVF + 1)) 2>/dev/null; then
	fail numvfs-range "echo $((NVF + 1)) > sriov_numvfs succeeded"
else
	expect_eq numvfs-range "0 /" "$(numvfs) /$(other_functions)"
fi

# Enable again: the same VFs with the same MACs, working.
check reenable set_numvfs "$NVF"
wait_for 30 all_up
expect_eq reenable-vfs "$VFS" "$(vfs)"
expect_eq reenable-macs "$MACS" "$(macs | tr '\n' ' ')"
lease_ping reenable-dhcp $(vfs)

# The PF's driver unbound (with VFs enabled: it disables them) and bound
# again: the PF works and enables its VFs once more.
echo "$PF" >"$drv/unbind"
wait_for 10 all_gone
expect_eq pf-unbind "0 /" "$(numvfs) /$(other_functions)"
echo "$PF" >"$drv/bind"
if wait_for 10 bound "$PF"; then pass pf-rebind; else fail pf-rebind "$PF not bound again"; fi
check pf-rebind-enable set_numvfs "$NVF"
wait_for 30 all_up
expect_eq pf-rebind-macs "$MACS" "$(macs | tr '\n' ' ')"
check pf-rebind-disable set_numvfs 0
wait_for 10 all_gone

golden sriov-pf /tmp/pf.txt
