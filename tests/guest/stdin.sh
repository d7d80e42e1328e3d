# Console input: the host writes sriovm.input=WORD plus a newline to the
# VMM's stdin once it sees TEST-WAITINPUT.
#
#@case stdin-pipe stdin=pipe input=sriovm-in-42 append=sriovm.input=sriovm-in-42
#@pass stdin
# Interactive use: stdin a terminal, Ctrl-A x typed while the guest waits
# for input; the harness's wrapper (wrap_tty) prints the checks. QEMU
# handles Ctrl-A only with its monitor mux (-serial mon:stdio), which the
# common command line does not ask for.
#@case tty-ctrl-a-x vmms="-qemu*" tty=1 stdin=pipe input=$'\001x' status=0
#@pass ctrl-a-x tty-restored

echo TEST-WAITINPUT
if read -t 60 -r line; then
	expect_eq stdin "$(arg input)" "$line"
else
	fail stdin "no input line within 60 s"
fi
