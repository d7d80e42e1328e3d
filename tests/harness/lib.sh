# Shared parts of run-guest-tests, demo and the benchmarks (sourced, not run).

# die inside $(...) must stop the script too.
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GUEST=$ROOT/build/guest
RUN_PLAN=$ROOT/tests/harness/run-plan

die() { echo "${0##*/}: $*" >&2; exit 1; }
# shq WORD: WORD quoted for a bash -c command (pre=, host=, post=), so that
# a checkout path with blanks in it stays one word.
shq() { printf '%q' "$1"; }

# lock_out DIR: one run at a time per results folder (a second run would
# empty the folder under the first one's VMMs).
lock_out() {
	mkdir -p "${1%/*}"
	exec {LOCKFD}>"$1.lock"
	flock -n "$LOCKFD" ||
		die "another run is using ${1#"$ROOT"/} (SRIOVM_TEST_OUT=DIR picks another)"
}

# kvm_probe: prints the probe's line: "native MS" if this host's KVM runs
# guest code on the CPU, else "slow WHY".
kvm_probe() {
	local probe=$ROOT/build/harness/kvm-probe
	local src=$ROOT/tests/harness/kvm-probe.c
	if [ ! -x "$probe" ] || [ "$src" -nt "$probe" ]; then
		mkdir -p "${probe%/*}"
		${CC:-gcc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wno-unused-parameter \
			-o "$probe" "$src" || die "cannot build $probe"
	fi
	"$probe" || true
}

# Decides where guests run: prints "native" if this host's KVM runs guest
# code on the CPU, "rig" otherwise.  SRIOVM_TEST_MODE=native|rig overrides.
test_mode() {
	case ${SRIOVM_TEST_MODE:-} in
	native | rig) echo "$SRIOVM_TEST_MODE"; return ;;
	"") ;;
	*) die "SRIOVM_TEST_MODE must be native or rig" ;;
	esac
	case $(kvm_probe) in native*) echo native ;; *) echo rig ;; esac
}

# vmm_cmd VMM MEM SMP APPEND [ARG...]: sets the array CMD to the VMM's
# command line: binary, VMM-specific arguments, then those every VMM takes
# (-m MiB, -smp N, console on stdio, the debug-exit device, the guest kit
# and its kernel command line), then ARGs; and VMM_BIN to the binary (CMD
# may start with env).
vmm_cmd() {
	local vmm=$1 mem=$2 smp=$3 append=$4
	shift 4
	mapfile -t CMD < <(vmm_argv "$vmm")
	[ ${#CMD[@]} -gt 0 ] || die "unknown VMM $vmm"
	VMM_BIN=${CMD[0]}
	# ASan and UBSan exit 1 on a report by default: the status of a guest
	# that passed (debug-exit 0). 66 is a status no guest gives (debug-exit
	# statuses are odd, poweroff 0, a kill 137).
	if [ "$vmm" = sriovm-asan ]; then
		CMD=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=66"
			"UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=66"
			"${CMD[@]}")
	fi
	CMD+=(-m "$mem" -smp "$smp" -nographic -serial stdio
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-kernel "$GUEST/vmlinuz" -initrd "$GUEST/initrd.img"
		-append "console=ttyS0 quiet panic=-1 $append" "$@")
}

# vmm_argv VMM: prints the binary and VMM-specific arguments, one a line.
# To add a VMM, add it here (and to the defaults in run-guest-tests).
vmm_argv() {
	case $1 in
	qemu)
		printf '%s\n' qemu-system-x86_64 -M q35 -accel kvm -cpu host \
			-nodefaults -vga none ;;
	# QEMU's software CPU, no KVM: for working on scenarios and the
	# harness natively on a host whose KVM cannot run the kit's kernel
	# (SRIOVM_TEST_MODE=native SRIOVM_VMMS=qemu-tcg); not a default VMM.
	qemu-tcg)
		printf '%s\n' qemu-system-x86_64 -M q35 -accel tcg \
			-nodefaults -vga none ;;
	# QEMU 11.1 from trixie-backports (composable SR-IOV, sriov-pf=),
	# built by tests/kit/build-qemu11.sh: the seed system itself.
	qemu11)
		printf '%s\n' "$ROOT/build/qemu11/qemu-system-x86_64" -M q35 \
			-accel kvm -cpu host -nodefaults -vga none ;;
	sriovm) echo "$ROOT/build/sriovm" ;;
	sriovm-asan) echo "$ROOT/build/asan/sriovm" ;;
	*) return 1 ;;
	esac
}

# virtfs_path PATH: PATH for a -virtfs option (QEMU doubles commas).
virtfs_path() { echo "${1//,/,,}"; }

# rig_run PLAN OUTDIR TIMEOUT [show]: boots the rig's L1 guest, which runs
# PLAN with run-plan, results into OUTDIR.  L1's console goes to
# OUTDIR/rig.log (and to stdout too with "show").  The paths reach L1 in
# OUTDIR/rig.paths (tests/kit/rig-init); any folder works, /tmp included.
rig_run() {
	local plan=$1 out=$2 timeout=$3 show=${4:-} status=0 p
	for p in "$plan" "$out" "$ROOT"; do
		case $p in /*) ;; *) die "rig_run: $p is not an absolute path" ;; esac
		[[ $p != *$'\n'* ]] || die "the rig cannot take a path with a newline: $p"
	done
	"$ROOT/tests/kit/build-rig.sh"
	printf 'root=%s\nout=%s\nplan=%s\nharness=%s\n' "$ROOT" "$out" "$plan" \
		"$RUN_PLAN" >"$out/rig.paths"
	local cmd=(timeout -s KILL "$timeout"
		qemu-system-x86_64 -M q35 -accel tcg -cpu EPYC,+svm,+npt
		-m "${SRIOVM_RIG_MEM:-6G}" -smp 1
		-nodefaults -nographic -vga none -serial stdio -no-reboot
		-kernel "$GUEST/vmlinuz" -initrd "$ROOT/build/rig/l1-initrd.img"
		-append "console=ttyS0 quiet panic=-1"
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
		-virtfs "local,path=$(virtfs_path "$ROOT"),mount_tag=checkout,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=$(virtfs_path "$out"),mount_tag=results,security_model=none")
	if [ -n "$show" ]; then
		"${cmd[@]}" </dev/null 2>&1 | tee "$out/rig.log" || status=$?
	else
		"${cmd[@]}" </dev/null >"$out/rig.log" 2>&1 || status=$?
	fi
	return $status
}

# rig_why OUTDIR STATUS: one line on why the rig did not finish its plan
# (run after rig_run returned STATUS), from OUTDIR/rig.log.
rig_why() {
	local log st=$2 l
	log=$(tr -d '\r' <"$1/rig.log" 2>/dev/null || true)
	l=$(grep -m1 '^rig: FAILED: ' <<<"$log" || true)
	[ -n "$l" ] || l=$(grep -v 'warning: ' <<<"$log" |
		grep -m1 -e '^qemu-system-x86_64: ' -e '^timeout: ' -e 'Kernel panic' || true)
	if [ -n "$l" ]; then
		echo "${l#rig: FAILED: }"
	elif [ "$st" = 137 ]; then
		echo "L1 was killed at its time limit"
	elif ! grep -q '^rig: init' <<<"$log"; then
		echo "L1 did not reach its /init (status $st)"
	else
		echo "L1 ended with status $st before the plan finished"
	fi
}

# SR-IOV command lines, shared by run-guest-tests, demo and bench/sriov.
# sriov_rst_args [P_NETDEV [VF2_PROPS [ALL_PROPS]]]: QEMU's
# docs/system/sriov.rst devices, one -netdev user per function, the VFs
# given before their PF; P_NETDEV replaces the VF at 0x0.0x2's netdev
# (default user,id=p; its id must stay p), VF2_PROPS is added to that VF's
# properties and ALL_PROPS to every function's.
sriov_rst_args() {
	local all=${3:-}
	echo "-netdev user,id=n -netdev user,id=o -netdev ${1:-user,id=p}
		-netdev user,id=q -device pcie-root-port,id=b
		-device virtio-net-pci,bus=b,addr=0x0.0x3,netdev=q,sriov-pf=f$all
		-device virtio-net-pci,bus=b,addr=0x0.0x2,netdev=p,sriov-pf=f${2:-}$all
		-device virtio-net-pci,bus=b,addr=0x0.0x1,netdev=o,sriov-pf=f$all
		-device virtio-net-pci,bus=b,addr=0x0.0x0,netdev=n,id=f$all"
}

# sriov_many_args N: a root port, N composed VFs without backends at the
# functions 1..N of its bus (ARI: addr=SLOT.FN is function SLOT * 8 + FN),
# VF f with mac=52:54:00:00:10:f, then their PF at 0x0.0x0 with id=f.
# Explicit MACs: QEMU's default ones count the last byte only, from :56,
# and repeat past :ff (170 NICs; sriovm's count on).
# printf -v, not a subshell a VF: run-guest-tests expands the plan lines
# of every case for every VMM.
sriov_many_args() {
	local f a="-device pcie-root-port,id=b" slot mac
	for ((f = 1; f <= $1; f++)); do
		printf -v slot %x $((f / 8))
		printf -v mac %02x "$f"
		a+=" -device virtio-net-pci,bus=b,addr=0x$slot.0x$((f % 8))"
		a+=",sriov-pf=f,mac=52:54:00:00:10:$mac"
	done
	echo "$a -device virtio-net-pci,bus=b,addr=0x0.0x0,id=f"
}

# sriov_smp N: guest CPUs for N VFs' interfaces. Each takes 3 MSI-X
# vectors (config, rx, tx) and a CPU has about 200: one CPU up to 59 VFs,
# then one more per 60.
sriov_smp() { echo $(($1 * 3 / 180 + 1)); }

# sriov_wait N: seconds the guest may wait for N VFs to come up or go
# (sriov-cycles.sh's sriovm.wait): in the rig QEMU 11.1 took about 10
# minutes for 255 each way.
sriov_wait() { echo $(($1 * 4 + 60)); }

# Shared by the benchmarks (bench/boot, bench/net, bench/sriov).
# median: the median of the numbers on stdin, one a line (the lower of the
# middle two for an even count; 0 for none).
median() { sort -g | awk '{a[NR] = $1} END {print NR ? a[int((NR + 1) / 2)] : 0}'; }
# div A B: A / B to two decimals (0 when B is 0 or empty), for ratios.
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
# field CASE KEY: KEY's value in $OUT/CASE.result (run-plan's results);
# nothing (and success) if the case left no result.
field() { sed -n "s/^$2=//p" "$OUT/$1.result" 2>/dev/null || true; }
