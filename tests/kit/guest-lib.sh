# Helpers for the guest scenarios (busybox sh, sourced by /init).
# Every check prints exactly one line to the console:
#   TEST-PASS <name>            or      TEST-FAIL <name> <reason>
# Console output is expensive in the rig (~120 us a byte), so print little.

FAILED=0

# This busybox runs its own applet of a name (ip, for one) before it looks
# at PATH: these make the names mean trixie's tools.  A "sh -c" child
# sources this file to get them too.
ip() { /usr/bin/ip "$@"; }
lspci() { /usr/bin/lspci "$@"; }
ethtool() { /usr/sbin/ethtool "$@"; }

# arg NAME [DEFAULT]: the value of sriovm.NAME=VALUE on the kernel cmdline.
arg() {
	local w
	for w in $(cat /proc/cmdline); do
		case $w in
		"sriovm.$1="*) echo "${w#*=}"; return 0 ;;
		esac
	done
	echo "$2"
}

pass() { echo "TEST-PASS $1"; }

fail() {
	local name=$1
	shift
	echo "TEST-FAIL $name $*"
	FAILED=1
}

# check NAME CMD...: passes if CMD succeeds, else fails with its output
# (joined into one line and cut short).
check() {
	local name=$1 out st=0
	shift
	out=$("$@" 2>&1) || st=$?
	if [ $st = 0 ]; then
		pass "$name"
	else
		fail "$name" "$(echo "($*) exit $st: $out" | tr '\n\t' '  ' |
			cut -c1-300)"
	fi
}

# expect_eq NAME WANT GOT
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "want '$2' got '$3'"
	fi
}

# within LO VALUE HI: true if LO <= VALUE <= HI (integers).
within() { [ "$1" -le "$2" ] && [ "$2" -le "$3" ]; }

# Writes VALUE (0-255) to the isa-debug-exit port 0xf4: the VMM exits
# with status (VALUE << 1) | 1.
debug_exit() {
	printf "\\$(printf %o "$1")" |
		dd of=/dev/port bs=1 seek=244 count=1 conv=notrunc 2>/dev/null
}

# Loads the kit's modules (virtio_net and friends, tun) in dependency order.
modules_load() {
	local m
	for m in $(cat /etc/modules.order); do
		grep -q "^${m%.ko} " /proc/modules ||
			insmod "/lib/modules/$(uname -r)/$m" || return 1
	done
}

# Waits until the console has sent everything written so far: echo returns
# once its text is in the tty buffer, and a VM that ends right after would
# lose the tail. Re-applying the settings is tcsetattr(TCSADRAIN).
console_drain() {
	stty "$(stty -g)" 2>/dev/null || sleep 1
}

finish() {
	echo "TEST-DONE $SCENARIO"
	console_drain
	debug_exit "$FAILED"
	# No debug-exit device: power off instead of panicking.
	sleep 1
	echo "TEST-FAIL exit debug-exit port did not stop the VM"
	poweroff -f
}
