# test/lib.sh: shared by the README's commands (test/check.sh, test/demo.sh)
# and test/with-cluster.sh: installing packages, building, and throwaway
# clusters.  Sourced, never run.

ISMS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The server major: PG_MAJOR if given; else the major of PG_CONFIG if given;
# else the one server whose headers are installed; else the major this
# Debian release ships (12 bookworm: 15, 13 trixie: 17, unstable: 18); else
# the one Debian's "postgresql" package depends on.  So the same command
# works unchanged on each of the releases test/matrix.sh tests.
isms_default_major() {
	local dirs codename
	if [ -n "${PG_CONFIG:-}" ] && command -v "$PG_CONFIG" >/dev/null 2>&1; then
		"$PG_CONFIG" --version | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p'
		return
	fi
	dirs=$(ls -d /usr/include/postgresql/[0-9]*/server 2>/dev/null | sed 's#.*/postgresql/\([0-9]*\)/server#\1#')
	if [ -n "$dirs" ] && [ "$(printf '%s\n' "$dirs" | wc -l)" = 1 ]; then
		echo "$dirs"
		return
	fi
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	case "$codename" in
	bookworm) echo 15; return ;;
	trixie) echo 17; return ;;
	forky | sid) echo 18; return ;;
	esac
	apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -1
}
PG_MAJOR=${PG_MAJOR:-$(isms_default_major)}
[ -n "$PG_MAJOR" ] || { echo "test/lib.sh: cannot tell which PostgreSQL major to use; set PG_MAJOR" >&2; exit 2; }
if [ -z "${PG_CONFIG:-}" ]; then
	PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
fi
export PG_CONFIG PG_MAJOR

# Debian packages the build, the demo and every test suite need (make fuzz
# installs clang on its own: test/fuzz/run.sh).
ISMS_APT_PACKAGES="build-essential pkg-config make git
 postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR
 libical-dev postgresql-$PG_MAJOR-pgtap libtap-parser-sourcehandler-pgtap-perl
 python3 python3-icalendar libxml2-utils procps graphviz"

isms_log() { printf '==> %s\n' "$*" >&2; }

isms_as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Install whatever of ISMS_APT_PACKAGES is missing (skipped when every one
# is installed, so a second run does not touch apt).  ISMS_SKIP_DEPS=1 skips.
isms_install_deps() {
	local p missing=""
	[ "${ISMS_SKIP_DEPS:-0}" = 1 ] && return 0
	for p in $ISMS_APT_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
			|| missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	isms_log "installing Debian packages:$missing"
	isms_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	isms_as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Build with warnings as errors and install into the server of PG_CONFIG.
isms_build_install() {
	isms_log "building pg_isms (warnings are errors) against $($PG_CONFIG --version)"
	make -s -C "$ISMS_ROOT" PG_CONFIG="$PG_CONFIG" WERROR=1 >/dev/null
	isms_as_root make -s -C "$ISMS_ROOT" PG_CONFIG="$PG_CONFIG" WERROR=1 install >/dev/null
}

# isms_cluster_start DIR: initdb and start a server whose data, socket and
# log live in DIR, listening on the Unix socket only, so several clusters
# (and a system one on 5432) never collide.  Exports PGHOST, PGPORT, PGUSER,
# PGDATABASE for the callers.  As root the server runs as "postgres".
isms_cluster_start() {
	local dir=$1 bindir port=${ISMS_PORT:-54329}
	bindir=$($PG_CONFIG --bindir)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$dir"
		ISMS_RUN_AS="runuser -u postgres --"
		PGUSER=postgres
	else
		ISMS_RUN_AS=""
		PGUSER=$(id -un)
	fi
	chmod 700 "$dir"
	# In a subshell at /: the server user may not enter the caller's folder.
	if ! (cd / && $ISMS_RUN_AS "$bindir/initdb" -D "$dir/data" -A trust -U "$PGUSER" \
			-E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1); then
		cat "$dir/initdb.log" >&2
		return 1
	fi
	if ! (cd / && $ISMS_RUN_AS "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
			-o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c max_connections=50" \
			start); then
		cat "$dir/server.log" >&2
		return 1
	fi
	export PGHOST=$dir PGPORT=$port PGUSER PGDATABASE=postgres
	export ISMS_CLUSTER_DIR=$dir ISMS_RUN_AS
	export PATH="$bindir:$PATH"
}

# Stop the server of DIR (if running) and remove DIR.
isms_cluster_stop() {
	local dir=$1 bindir run=""
	[ -d "$dir" ] || return 0
	bindir=$($PG_CONFIG --bindir)
	[ "$(id -u)" = 0 ] && run="runuser -u postgres --"
	if [ -f "$dir/data/postmaster.pid" ]; then
		(cd / && $run "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1) || true
	fi
	rm -rf "$dir"
}
