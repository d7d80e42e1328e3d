# Console input: the host writes sriovm.input=WORD plus a newline to the
# VMM's stdin once it sees TEST-WAITINPUT.
echo TEST-WAITINPUT
if read -t 60 -r line; then
	expect_eq stdin "$(arg input)" "$line"
else
	fail stdin "no input line within 60 s"
fi
