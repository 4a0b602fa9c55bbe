# pg_isms: PGXS build. Targets: all install installcheck prove test demo bench fuzz unit matrix
# The extension script is assembled from sql/NNN_*.sql in name order, so each
# concern keeps its own file; pg_regress tests are test/regress/sql/*.sql with
# test/regress/expected/*.out.  One numbering scheme: the regression test,
# pgTAP suite and shell suite of a concern carry its install file's number.

EXTENSION   = pg_isms
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" pg_isms.control)
PG_CONFIG  ?= pg_config

MODULE_big  = pg_isms
SRCS        = $(sort $(wildcard src/*.c))
OBJS        = $(SRCS:.c=.o)
CORE_SRCS   = $(sort $(wildcard src/*_core.c))

INSTALL_SQL = $(sort $(wildcard sql/[0-9]*.sql))
# An update script is assembled the same way from its folder,
# sql/updates/OLD--NEW/NNN_*.sql, so each concern adds its own part; a part
# whose objects are new in NEW names their install file on a line
# "-- include: sql/NNN_NAME.sql", and that file follows the line
# (sql/updates/assemble.awk), so the
# two are never kept the same by hand (a release freezes the whole script
# in sql/releases/, docs/development.md).  The
# frozen full scripts of earlier releases (sql/releases/) are installed as
# they are, so CREATE EXTENSION ... VERSION 'old' works (docs/operations.md,
# "Upgrades").
UPDATE_DIRS = $(sort $(wildcard sql/updates/*--*/))
UPDATE_SQL  = $(patsubst sql/updates/%/,pg_isms--%.sql,$(UPDATE_DIRS))
DATA_built  = pg_isms--$(EXTVERSION).sql $(UPDATE_SQL)
DATA        = $(filter-out sql/releases/pg_isms--$(EXTVERSION).sql,$(wildcard sql/releases/pg_isms--*.sql))
DOCS        =

REGRESS     = $(sort $(basename $(notdir $(wildcard test/regress/sql/*.sql))))
REGRESS_OPTS = --inputdir=test/regress --outputdir=test/regress

SHLIB_LINK += -lical
PG_CPPFLAGS += -Isrc -DPG_ISMS_VERSION='"$(EXTVERSION)"'
# -Wextra on top of PostgreSQL's own -Wall; the test path adds -Werror
# (make WERROR=1).  Unused parameters are the fmgr calling convention.
PG_CFLAGS   += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifeq ($(WERROR),1)
PG_CFLAGS   += -Werror
endif

# No LLVM bitcode: the server works the same without it (JIT only loses
# inlining of our functions), and `make install` then needs no clang.
override with_llvm = no

EXTRA_CLEAN = pg_isms--$(EXTVERSION).sql test/regress/results test/regress/regression.diffs test/regress/regression.out \
              build test/unit/*.o

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Every object is rebuilt when any header changes (the headers are small and
# shared by most files; finer dependencies are not worth their upkeep).
$(OBJS): $(wildcard src/*.h)

pg_isms--$(EXTVERSION).sql: $(INSTALL_SQL) pg_isms.control
	cat $(INSTALL_SQL) > $@

.SECONDEXPANSION:
$(UPDATE_SQL): pg_isms--%.sql: $$(sort $$(wildcard sql/updates/%/*.sql)) $(INSTALL_SQL) sql/updates/assemble.awk
	for part in $(sort $(wildcard sql/updates/$*/*.sql)); do \
		awk -f sql/updates/assemble.awk "$$part" || exit 1; \
	done > $@.tmp && mv $@.tmp $@

.PHONY: prove test demo bench fuzz unit docs-check diagram matrix

# pgTAP suites under test/pgtap, against the server in PGHOST/PGPORT/PGUSER.
prove:
	test/prove.sh

# Pure-C unit and property tests of the cores (no server needed).
unit:
	test/unit/run.sh

# Every object of the extension has a COMMENT and a docs/reference entry.
docs-check:
	test/docs-check.sh

# The schema diagram in docs/ (schema.dot, .svg, .png), drawn from the live
# catalog of a throwaway cluster; needs pg_isms installed and graphviz.
diagram:
	test/with-cluster.sh test/tools/schema_diagram.sh docs

# The README's two commands.
test:
	test/check.sh
demo:
	test/demo.sh

# The README's test command on PostgreSQL 15, 17 and 18, each in a bare
# Debian root of the release that ships it (needs root; MAJORS="17" for one).
MAJORS ?= 15 17 18
matrix:
	test/matrix.sh $(MAJORS)

# Benchmarks: every bench/*.sh in a throwaway cluster, each printing ratios.
bench:
	test/with-cluster.sh bench/run-all.sh

# libFuzzer harnesses test/fuzz/*_fuzz.c, each for FUZZ_SECONDS.
FUZZ_SECONDS ?= 20
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) test/fuzz/run.sh

# CVSS scores must round exactly as FIRST's calculators do in IEEE doubles:
# no fused multiply-add contraction (the default on some CPUs).
src/cvss_core.o: CFLAGS += -ffp-contract=off

# Simulations are bit-identical for a seed on every platform only if the
# compiler does not fuse multiply-adds differently (the same rule as CVSS).
src/quant_core.o: CFLAGS += -ffp-contract=off
