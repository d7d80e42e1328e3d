# Shared helpers of the kit scripts (sourced, not run).
# Trixie packages come through a private apt configuration under
# $KIT/apt so that the system's own sources stay untouched.  A script that
# needs other suites sets, after sourcing this file, APTDIR (its own
# folder: a second configuration must not replace the first one's lists),
# APT_SUITES (default "trixie") and APT_RELEASE (the suite whose versions
# win: backports are never candidates otherwise).

# die inside $(...) must stop the script too.
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIT=${SRIOVM_KIT:-$ROOT/build/kit}
APTDIR=$KIT/apt

die() { echo "${0##*/}: $*" >&2; exit 1; }

# kit_lock NAME: waits until no other build of NAME runs (two runs of the
# test harness at once each build the kit first).
kit_lock() {
	mkdir -p "$ROOT/build"
	exec {KIT_LOCKFD}>"$ROOT/build/.$1.lock"
	flock "$KIT_LOCKFD"
}

# Runs a command quietly; shows its output only if it fails.
quiet() {
	local out
	if ! out=$("$@" 2>&1); then
		echo "$out" >&2
		die "failed: $*"
	fi
}

apt_setup() {
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" \
		"$APTDIR/debs"
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] ||
		die "debian-archive-keyring missing: run tests/kit/deps.sh"
	cat >"$APTDIR/trixie.sources.new" <<-EOF
	Types: deb
	URIs: http://deb.debian.org/debian
	Suites: ${APT_SUITES:-trixie}
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	mv "$APTDIR/trixie.sources.new" "$APTDIR/trixie.sources"
	touch "$APTDIR/status"
}

# apt-get / apt-cache with the private trixie configuration.  An empty
# dpkg status keeps the host's installed packages out of the picture.
tapt() {
	local tool=$1
	shift
	"$tool" -q -o Dir::Etc::SourceList="$APTDIR/trixie.sources" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$APTDIR/lists" \
		-o Dir::State::status="$APTDIR/status" \
		-o Dir::Cache="$APTDIR/cache" \
		${APT_RELEASE:+-o APT::Default-Release=$APT_RELEASE} \
		-o APT::Sandbox::User=root "$@"
}

apt_update() {
	quiet tapt apt-get update
	touch "$APTDIR/updated"
}

# The package lists are fetched once and kept, so that a second run works
# offline; a week later they are refreshed if the mirror answers (a new
# point release brings a new kernel).  A download that fails (a point
# release removed the version) refreshes them too.
apt_ensure_lists() {
	if [ ! -f "$APTDIR/updated" ]; then
		apt_update
	elif [ -n "$(find "$APTDIR/updated" -mtime +7)" ]; then
		tapt apt-get update >/dev/null 2>&1 || true
		touch "$APTDIR/updated"
	fi
}

# Prints the dependencies of a trixie package (Depends only), one a line.
apt_depends() {
	tapt apt-cache depends --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$@" |
		awk '$1 == "Depends:" || $1 == "|Depends:" { print $2 }' |
		tr -d '<>' | sort -u
}

# deb_cached PKG[=VERSION]: prints the cached .deb files of a package (of
# that version), oldest first. apt-get download names them
# PKG_VERSION_ARCH.deb, with a version's colon as %3a.
deb_cached() {
	local pkg=${1%%=*} ver='*'
	[[ $1 != *=* ]] || { ver=${1#*=}; ver=${ver//:/%3a}; }
	compgen -G "$APTDIR/debs/${pkg}_${ver}_*.deb" | sort -V || true
}

# Prints the .deb file of a package (the newest cached, or the version
# given as PKG=VERSION), downloading it unless cached.
deb_path() {
	local pkg=$1 f
	deb_fetch "$pkg"
	f=$(deb_cached "$pkg" | tail -n1)
	[ -n "$f" ] || die "no .deb of $pkg in $APTDIR/debs"
	echo "$f"
}

# Downloads the packages (PKG or PKG=VERSION) not yet cached, in one
# apt-get call (one call a package reads the lists each time: minutes for
# a hundred).
deb_fetch() {
	local pkg want=()
	for pkg in "$@"; do
		[ -n "$(deb_cached "$pkg")" ] || want+=("$pkg")
	done
	[ ${#want[@]} -gt 0 ] || return 0
	if ! (cd "$APTDIR/debs" && tapt apt-get download "${want[@]}") \
		>/dev/null 2>&1; then
		apt_update
		(cd "$APTDIR/debs" && quiet tapt apt-get download "${want[@]}")
	fi
}

# Unpacks a package (PKG or PKG=VERSION) into $2 once (a stamp file names
# the .deb unpacked).
deb_unpack() {
	local pkg=$1 dest=$2 deb stamp
	deb=$(deb_path "$pkg")
	stamp=$dest/.unpacked-${pkg%%=*}
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "${deb##*/}" ] && return 0
	mkdir -p "$dest"
	dpkg-deb -x "$deb" "$dest"
	echo "${deb##*/}" >"$stamp"
}

# apt_closure SKIP PKG...: the packages PKG and everything they need
# (Depends and Pre-Depends, the first alternative that is a real package,
# a provider of a virtual one), one a line, leaving out those whose names
# match the extended regex SKIP and what only they need. One apt-cache call
# a level of the tree, not one a package.
apt_closure() {
	local skip=$1
	shift
	local -A have=()
	local todo=("$@") next p
	while [ ${#todo[@]} -gt 0 ]; do
		for p in "${todo[@]}"; do have[$p]=1; done
		next=()
		for p in $(tapt apt-cache depends --no-recommends --no-suggests \
			--no-conflicts --no-breaks --no-replaces --no-enhances \
			"${todo[@]}" | awk '
			function flush() {
				if (!chosen && prov != "") print prov
				chosen = 0; prov = ""; virt = 0
			}
			/^[^ ]/ { flush(); ended = 0; next }
			/^ [ |](Pre)?Depends:/ {
				# A line without "|" ends a group of alternatives.
				if (ended) flush()
				ended = ($0 !~ /^ \|/)
				virt = ($2 ~ /^</)
				if (!chosen && !virt) { print $2; chosen = 1 }
				next
			}
			/^    / { if (virt && !chosen && prov == "") prov = $1 }
			END { flush() }' | sort -u | grep -Ev "^($skip)\$" || true); do
			[ -n "${have[$p]:-}" ] || next+=("$p")
		done
		todo=("${next[@]}")
	done
	printf '%s\n' "${!have[@]}" | sort
}

# Where elf_closure looks for libraries, below the tree it is given.
LIBDIRS=(usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu usr/lib64 lib64)

# find_lib TREE NAME: the path (in TREE) of the library NAME.
find_lib() {
	local d
	for d in "${LIBDIRS[@]}"; do
		[ -e "$1/$d/$2" ] && { echo "$d/$2"; return 0; }
	done
	return 1
}

# elf_closure TREE FILE...: prints the libraries (paths in TREE) that the
# ELF files (paths in TREE) need, recursively, one a line.
elf_closure() {
	local tree=$1
	shift
	local -A seen=()
	local todo=("$@") f lib path
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for lib in $(readelf -d "$tree/$f" |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			[ -n "${seen[$lib]:-}" ] && continue
			seen[$lib]=1
			path=$(find_lib "$tree" "$lib") ||
				die "$f needs $lib: not in $tree"
			echo "$path"
			todo+=("$path")
		done
	done
}

# Resolves linux-image-amd64 to the versioned kernel package and unpacks it
# into $KIT/kernel.  Prints the kernel release (e.g. 6.12.57+deb13-amd64).
kernel_unpack() {
	local pkg rel
	apt_ensure_lists
	pkg=$(apt_depends linux-image-amd64 | grep '^linux-image-[0-9]' |
		head -n1)
	[ -n "$pkg" ] || die "cannot resolve trixie linux-image-amd64"
	# A newer kernel replaces the old tree rather than piling up beside it.
	if ls "$KIT"/kernel/.unpacked-* >/dev/null 2>&1 &&
		[ ! -f "$KIT/kernel/.unpacked-$pkg" ]; then
		rm -rf "$KIT/kernel"
	fi
	deb_unpack "$pkg" "$KIT/kernel"
	rel=${pkg#linux-image-}
	[ -f "$KIT/kernel/boot/vmlinuz-$rel" ] ||
		die "no vmlinuz-$rel in $pkg"
	# The package leaves modules.dep to its postinst: make it here.
	[ -f "$(kmod_dir "$rel")/modules.dep" ] ||
		quiet /sbin/depmod -b "$KIT/kernel/usr" "$rel"
	echo "$rel"
}

kmod_dir() { echo "$KIT/kernel/usr/lib/modules/$1"; }

# Prints the module files (paths relative to the kernel tree) needed for
# the named modules, dependencies first, from modules.dep.
kmod_closure() {
	local rel=$1
	shift
	local dep
	dep=$(kmod_dir "$rel")/modules.dep
	[ -f "$dep" ] || die "missing $dep"
	awk -v want="$*" '
	BEGIN { n = split(want, w, " ") }
	{
		key = $1; sub(/:$/, "", key)
		name = key; sub(/.*\//, "", name); sub(/\.ko.*/, "", name)
		gsub(/-/, "_", name)
		path[name] = key
		deps[name] = ""
		for (i = 2; i <= NF; i++) {
			d = $i; sub(/.*\//, "", d); sub(/\.ko.*/, "", d)
			gsub(/-/, "_", d)
			deps[name] = deps[name] " " d
		}
	}
	function visit(m,   a, k, i) {
		if (seen[m]++) return
		if (!(m in path)) { print "MISSING " m; return }
		k = split(deps[m], a, " ")
		for (i = k; i >= 1; i--) visit(a[i])
		print path[m]
	}
	END { for (i = 1; i <= n; i++) { m = w[i]; gsub(/-/, "_", m); visit(m) } }
	' "$dep"
}

# Copies modules (with dependencies) into $3/lib/modules/<rel>/, uncompressed
# so that busybox insmod can load them, and writes $3/etc/modules.order with
# the load order.  Modules built into the kernel are skipped.
kmod_install() {
	local rel=$1 dest=$2
	shift 2
	local src m out
	src=$(kmod_dir "$rel")
	local builtin=$src/modules.builtin
	mkdir -p "$dest/etc" "$dest/lib/modules/$rel"
	: >"$dest/etc/modules.order"
	for m in "$@"; do
		if grep -q "/${m//_/[-_]}\.ko$" "$builtin" 2>/dev/null; then
			continue
		fi
		echo "$m"
	done >"$dest/etc/modules.want"
	# shellcheck disable=SC2046
	kmod_closure "$rel" $(cat "$dest/etc/modules.want") >"$dest/etc/modules.list"
	if grep '^MISSING ' "$dest/etc/modules.list" >&2; then
		die "modules missing from the kernel package"
	fi
	while read -r m; do
		out=$dest/lib/modules/$rel/${m##*/}
		out=${out%.xz}
		out=${out%.zst}
		case $m in
		*.xz) xz -dc "$src/$m" >"$out" ;;
		*.zst) zstd -qdc "$src/$m" >"$out" ;;
		*) cp "$src/$m" "$out" ;;
		esac
		echo "${out##*/}" >>"$dest/etc/modules.order"
	done <"$dest/etc/modules.list"
	rm -f "$dest/etc/modules.want" "$dest/etc/modules.list"
}

# Writes a newc cpio of directory $1 to $2, compressed with zstd (a fixed
# mtime keeps it reproducible for the same contents).
make_cpio() {
	local dir=$1 out=$2
	(cd "$dir" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner=0:0 --reproducible --quiet) |
		zstd -q -3 -T0 >"$out.tmp"
	mv "$out.tmp" "$out"
}
