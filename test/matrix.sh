#!/usr/bin/env bash
# test/matrix.sh: the README's test command on every supported PostgreSQL
# major, each in a bare Debian root of the release that ships it:
#
#   PG 15  Debian 12 (bookworm)     PG 17  Debian 13 (trixie)
#   PG 18  Debian unstable (sid)
#
# For each leg: a base root is made once with debootstrap from the Debian
# mirror this machine's apt uses (cached in ISMS_MATRIX_CACHE), each run
# takes a fresh copy of it (overlayfs, or cp -a), git-clones the committed
# tree into it and runs test/check.sh there unchanged, chrooted, in its own
# mount/PID/IPC/UTS namespaces, with a clean environment and no stdin.
# Prints one line per major: passed/failed, the suite counts, the time.
#
#   test/matrix.sh [15 17 18]     the legs to run (default: all three)
#   test/matrix.sh build [...]    only make the base roots
#
# Environment: ISMS_MATRIX_CACHE (default /var/cache/pg_isms-matrix),
# ISMS_MATRIX_MIRROR (default: this machine's Debian mirror),
# ISMS_MATRIX_REF (commit to test, default HEAD), ISMS_MATRIX_TIMEOUT
# (seconds per leg, default 2400), ISMS_MATRIX_REBUILD=1 (remake the bases),
# ISMS_MATRIX_KEEP_LOGS (folder for each leg's full log; default a temp dir
# printed at the end).  Needs root (debootstrap, chroot, mount).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${ISMS_MATRIX_CACHE:-/var/cache/pg_isms-matrix}
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
STAMP=etc/pg_isms-matrix-base
SELF=$(readlink -f "${BASH_SOURCE[0]}")

log() { printf '[matrix] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

suite_of() {
	case $1 in
	15) echo bookworm ;;
	17) echo trixie ;;
	18) echo sid ;;
	*) return 1 ;;
	esac
}

# The Debian mirror of this machine's apt sources (deb822 or one-line).
host_mirror() {
	[ -n "${ISMS_MATRIX_MIRROR:-}" ] && { echo "$ISMS_MATRIX_MIRROR"; return; }
	apt-get indextargets --no-release-info --format '$(REPO_URI) $(TARGET_OF) $(RELEASE)' 2>/dev/null |
		awk '$2 == "deb" && $1 !~ /security/ && $3 !~ /-(updates|security|backports)$/ { print $1; exit }'
}
host_security_mirror() {
	apt-get indextargets --no-release-info --format '$(REPO_URI) $(TARGET_OF) $(RELEASE)' 2>/dev/null |
		awk '$2 == "deb" && $3 ~ /-security$/ { print $1; exit }'
}

# Runs as PID 1 of new namespaces: mounts the copy and the kernel file
# systems, runs one command chrooted, and kills whatever it left behind.
# Args: LOWER WORK ROOT TIMEOUT COMMAND [PROJECT ARCHIVES]
#   PROJECT: a clone copied to /root/project in the root; ARCHIVES: a folder
#   bound over the root's apt package cache (kept per suite between runs).
inner() {
	local lower=$1 work=$2 root=$3 tmo=$4 cmd=$5 project=${6:-} archives=${7:-} rc
	trap 'kill -KILL -1 2>/dev/null' EXIT
	mount --make-rprivate / || exit 3
	hostname pg-isms-matrix 2>/dev/null || true
	if [ -n "$lower" ]; then
		mkdir -p "$work/upper" "$work/work" "$root"
		if ! mount -t overlay matrix -o "lowerdir=$lower,upperdir=$work/upper,workdir=$work/work" "$root" 2>/dev/null; then
			rm -rf "$work/upper" "$work/work"
			cp -a "$lower/." "$root/" || exit 3
		fi
	fi
	mount -t proc proc "$root/proc" &&
		mount --bind /sys "$root/sys" && mount -o remount,bind,ro "$root/sys" &&
		mount --bind /dev "$root/dev" && mount --bind /dev/pts "$root/dev/pts" &&
		mkdir -p "$root/dev/shm" && mount -t tmpfs -o mode=1777 shm "$root/dev/shm" || exit 3
	if [ -n "$project" ]; then
		cp -a "$project" "$root/root/project" || exit 3
	fi
	if [ -n "$archives" ]; then
		mkdir -p "$root/var/cache/apt/archives" && mount --bind "$archives" "$root/var/cache/apt/archives" || exit 3
	fi
	rm -f "$root/etc/resolv.conf"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	timeout --kill-after=15 "$tmo" env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
		LANG=C.UTF-8 PATH="$CLEAN_PATH" chroot "$root" /bin/bash -c "$cmd" </dev/null &
	wait $!
	rc=$?
	exit $rc
}

# ns_run LOWER WORK ROOT TIMEOUT COMMAND: inner in its own namespaces.
ns_run() {
	setpriv --pdeathsig KILL -- unshare --mount --pid --ipc --uts --fork --kill-child \
		--propagation private -- /bin/bash "$SELF" __inner "$@"
}

# The base root of one suite: debootstrap, the mirror as apt source, no
# service starts, apt lists dropped (a bare machine has none).
build_base() {
	local suite=$1 base=$CACHE/$1 tb mirror sec t0
	if [ -f "$base/$STAMP" ] && [ "${ISMS_MATRIX_REBUILD:-0}" != 1 ]; then
		return 0
	fi
	command -v debootstrap >/dev/null ||
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }; } ||
		die "cannot install debootstrap"
	mirror=$(host_mirror)
	[ -n "$mirror" ] || die "no Debian mirror in this machine's apt sources; set ISMS_MATRIX_MIRROR"
	sec=$(host_security_mirror)
	mkdir -p "$CACHE"
	tb=$base.build
	rm -rf --one-file-system "$tb"
	t0=$SECONDS
	log "debootstrap $suite from $mirror into $tb"
	if ! unshare --mount --propagation private -- debootstrap --include=git,ca-certificates,make,sudo \
			"$suite" "$tb" "$mirror" >"$CACHE/$suite.build.log" 2>&1; then
		tail -n 20 "$CACHE/$suite.build.log" >&2
		die "debootstrap $suite failed (log: $CACHE/$suite.build.log)"
	fi
	rm -f "$tb/etc/apt/sources.list"
	mkdir -p "$tb/etc/apt/sources.list.d"
	{
		if [ "$suite" = sid ]; then
			printf 'Types: deb\nURIs: %s\nSuites: sid\nComponents: main\n' "$mirror"
		else
			printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' "$mirror" "$suite" "$suite"
			[ -n "$sec" ] && printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "$sec" "$suite"
		fi
	} >"$tb/etc/apt/sources.list.d/debian.sources"
	# This machine's apt settings for reaching the mirror (a proxy; a mirror
	# that is a dated snapshot needs its Valid-Until checks off, as here).
	apt-config dump 2>/dev/null | grep -E '^Acquire::((http|https|ftp)::Proxy|Check-Valid-Until|Check-Date)( |::)' \
		>"$tb/etc/apt/apt.conf.d/99pg-isms-matrix-host" || rm -f "$tb/etc/apt/apt.conf.d/99pg-isms-matrix-host"
	printf '#!/bin/sh\nexit 101\n' >"$tb/usr/sbin/policy-rc.d"
	chmod 755 "$tb/usr/sbin/policy-rc.d"
	printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$tb/etc/hosts"
	log "apt-get upgrade in the $suite base"
	if ! ns_run "" "" "$tb" 900 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get -y -q upgrade && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin' \
			>>"$CACHE/$suite.build.log" 2>&1; then
		tail -n 20 "$CACHE/$suite.build.log" >&2
		die "apt-get upgrade in the $suite base failed"
	fi
	rm -f "$tb/etc/resolv.conf"
	date -u +"built %FT%TZ from $mirror ($suite)" >"$tb/$STAMP"
	rm -rf --one-file-system "$base"
	mv "$tb" "$base"
	log "base $suite ready in $((SECONDS - t0)) s"
}

# One leg: fresh copy of the base, clone, the README's test command.
run_leg() {
	local major=$1 suite base work rc t0 logf counts
	suite=$(suite_of "$major") || die "unknown major $major (15, 17 or 18)"
	base=$CACHE/$suite
	build_base "$suite" || return 2
	work=$(mktemp -d /tmp/pg_isms-matrix.XXXXXX)
	logf=$LOGDIR/pg$major-$suite.log
	t0=$SECONDS
	# Downloaded packages are kept per suite, so a second run fetches nothing.
	mkdir -p "$CACHE/$suite-archives/partial"
	git -c safe.directory='*' clone -q --no-hardlinks "$ROOT" "$work/project" &&
		git -C "$work/project" -c advice.detachedHead=false checkout -q "$REF" ||
		die "cannot clone $ROOT at $REF"
	ns_run "$base" "$work" "$work/root" "${ISMS_MATRIX_TIMEOUT:-2400}" \
		'cd /root/project && bash test/check.sh' "$work/project" "$CACHE/$suite-archives" >"$logf" 2>&1
	rc=$?
	rm -rf --one-file-system "$work"
	counts=$(summarise "$logf")
	if [ $rc = 0 ]; then
		printf 'PG %s (%s): passed in %d s; %s\n' "$major" "$suite" $((SECONDS - t0)) "$counts"
	else
		printf 'PG %s (%s): FAILED (exit %d) in %d s; %s; log %s\n' "$major" "$suite" "$rc" \
			$((SECONDS - t0)) "$counts" "$logf"
		tail -n 40 "$logf" | sed 's/^/    /'
	fi
	return $rc
}

# The suite counts test/check.sh printed: unit checks, pg_regress, pgTAP.
summarise() {
	local f=$1 unit regress tap
	unit=$(grep -Eo '[0-9]+ checks?, 0 failed|[0-9]+ passed, [0-9]+ failed' "$f" | head -1)
	regress=$(grep -Eo 'All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed' "$f" | tail -1)
	tap=$(grep -Eo 'Files=[0-9]+, Tests=[0-9]+' "$f" | tail -1)
	printf 'unit: %s; pg_regress: %s; pgTAP: %s' "${unit:-?}" "${regress:-?}" "${tap:-?}"
}

case ${1:-} in
__inner) shift; inner "$@"; exit $? ;;
esac

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mount)"
if [ "${1:-}" = build ]; then
	shift
	for m in "${@:-15 17 18}"; do
		for mm in $m; do build_base "$(suite_of "$mm" || die "unknown major $mm")" || exit 2; done
	done
	exit 0
fi

REF=$(git -c safe.directory='*' -C "$ROOT" rev-parse "${ISMS_MATRIX_REF:-HEAD}") || die "no commit to test"
LOGDIR=${ISMS_MATRIX_KEEP_LOGS:-$(mktemp -d /tmp/pg_isms-matrix-logs.XXXXXX)}
mkdir -p "$LOGDIR"
majors=${*:-15 17 18}
log "testing $(git -C "$ROOT" log -1 --format='%h %s' "$REF" | cut -c1-60) on PostgreSQL $majors"
t_all=$SECONDS
failed=0
results=()
for m in $majors; do
	line=$(run_leg "$m")
	rc=$?
	printf '%s\n' "$line"
	results+=("$(printf '%s\n' "$line" | head -1)")
	[ $rc = 0 ] || failed=$((failed + 1))
done
printf '\nmatrix summary (%d s, logs in %s):\n' $((SECONDS - t_all)) "$LOGDIR"
printf '  %s\n' "${results[@]}"
printf 'matrix: %d passed, %d failed\n' $((${#results[@]} - failed)) "$failed"
[ $failed = 0 ]
