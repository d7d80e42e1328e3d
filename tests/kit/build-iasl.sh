#!/bin/bash
# Builds build/iasl/: trixie's iasl (acpica-tools 20250404), which decodes
# the VIOT table (bookworm's 20200925 dumps it as an unknown table), for
# test_acpi. Runnable on this bookworm host with trixie's loader and
# libraries, as build-qemu11.sh does for QEMU 11.1:
#   iasl            the wrapper to run
#   bin/iasl, bin/ld-linux-x86-64.so.2, lib/
# Packages come through the guest kit's private trixie configuration.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kit_lock iasl

OUT=$ROOT/build/iasl
TREE=$KIT/iasl

apt_setup
apt_ensure_lists
deb=$(basename "$(deb_path acpica-tools)")
if [ -x "$OUT/iasl" ] && [ "$(cat "$OUT/.package" 2>/dev/null)" = "$deb" ]; then
	exit 0
fi
rm -rf "$TREE"
deb_unpack acpica-tools "$TREE"
for p in $(apt_depends acpica-tools) libc6; do
	deb_unpack "$p" "$TREE"
done
STAGE=$OUT.new
rm -rf "$STAGE"
mkdir -p "$STAGE/bin" "$STAGE/lib"
cp "$TREE/usr/bin/iasl" "$STAGE/bin/"
for l in $(elf_closure "$TREE" usr/bin/iasl); do
	cp -L "$TREE/$l" "$STAGE/lib/"
done
loader=$(find_lib "$TREE" ld-linux-x86-64.so.2) || die "no ld-linux-x86-64.so.2 in $TREE"
cp -L "$TREE/$loader" "$STAGE/bin/ld-linux-x86-64.so.2"
cat >"$STAGE/iasl" <<-'EOT'
	#!/bin/sh
	# trixie's iasl with trixie's libraries, made by tests/kit/build-iasl.sh.
	d=$(dirname "$(readlink -f "$0")")
	exec "$d/bin/ld-linux-x86-64.so.2" --library-path "$d/lib" "$d/bin/iasl" "$@"
EOT
chmod 755 "$STAGE/iasl"
ver=$("$STAGE/iasl" -v 2>&1 | grep -m1 -o 'version [0-9]*') ||
	die "the new iasl does not run: $STAGE/iasl -v"
echo "$deb" >"$STAGE/.package"
rm -rf "$OUT"
mv "$STAGE" "$OUT"
echo "build-iasl: iasl $ver in ${OUT#"$ROOT"/}"
