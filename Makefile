# reskontra — see README.
#   make            build ./reskontra
#   make check      build and run every test (SANITIZE=1: under ASan+UBSan),
#                   the fuzz targets' seeds replayed without libFuzzer
#   make demo       run the whole job on samples/
#   make bench      throughput and peak memory on generated files
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (needs clang)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION  = 0.1.0
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man
DATADIR  = $(PREFIX)/share/reskontra
DOCDIR   = $(PREFIX)/share/doc/reskontra

CC      ?= cc
PKGS     = libxml-2.0 zlib sqlite3 nettle
BUILD    = build
ifeq ($(SANITIZE),1)
BUILD    = build-asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

# Debian packages the build needs; installed when running as root.
APT_BUILD = libxml2-dev zlib1g-dev libsqlite3-dev nettle-dev pkg-config
APT_CHECK = libcriterion-dev libxml2-utils sqlite3
# and `make fuzz`: clang with libFuzzer and the sanitizer runtimes.
APT_FUZZ  = clang libclang-rt-14-dev

CFLAGS  ?= -O2 -g
WARN     = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CPPFLAGS = -Isrc -DVERSION='"$(VERSION)"' -DDATADIR='"$(DATADIR)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(SANFLAGS)
LDLIBS   = $(PKG_LIBS)

SRCS     = $(sort $(wildcard src/*/*.c))
OBJS     = $(SRCS:src/%.c=$(BUILD)/obj/%.o)
# The XML schemas are built into the program (src/read/schemas.h): a C
# file generated from formats/schemas/*.xsd by src/read/embed/embed.c.
SCHEMAS  = $(sort $(wildcard formats/schemas/*.xsd))
OBJS    += $(BUILD)/obj/gen/schemas.o
LIBOBJS  = $(filter-out $(BUILD)/obj/cmd/main.o,$(OBJS))
UNIT_SRCS = $(sort $(wildcard tests/unit/*.c))
UNIT_OBJS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%.o)
# The fuzz targets, linked with tests/fuzz/replay.c instead of libFuzzer
# so that `make check` builds them with $(CC) and replays their seeds.
FUZZ_SRCS = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_OBJS = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/obj/%.o) $(BUILD)/fuzz/obj/replay.o
.SECONDARY: $(FUZZ_OBJS)

.PHONY: FORCE all check unit golden fuzz-replay demo bench fuzz install deps deps-check clean

all: deps reskontra

# The binary at the top level is always the plain build; a sanitizer
# build lives in build-asan/ and is used by `make check SANITIZE=1`.
ifeq ($(SANITIZE),1)
reskontra: $(BUILD)/reskontra
else
reskontra: $(BUILD)/reskontra
	cp $< $@
endif

$(BUILD)/reskontra: $(OBJS)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(OBJS) $(LDLIBS)

# DATADIR is compiled in: rebuild when PREFIX changes.
$(BUILD)/prefix: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@

FORCE:

$(BUILD)/embed: src/read/embed/embed.c
	@mkdir -p $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ src/read/embed/embed.c

$(BUILD)/gen/schemas.c: $(BUILD)/embed $(SCHEMAS)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $(SCHEMAS) >$@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/schemas.o: $(BUILD)/gen/schemas.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $(BUILD)/gen/schemas.c

$(BUILD)/obj/%.o: src/%.c $(BUILD)/prefix | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/unit/%.o: tests/unit/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/unit-tests: $(UNIT_OBJS) $(LIBOBJS)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(UNIT_OBJS) $(LIBOBJS) $(LDLIBS) -lcriterion

$(BUILD)/fuzz/obj/%.o: tests/fuzz/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/%: $(BUILD)/fuzz/obj/%.o $(BUILD)/fuzz/obj/replay.o $(LIBOBJS)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $< $(BUILD)/fuzz/obj/replay.o $(LIBOBJS) $(LDLIBS)

# The scenario generator (tests/gen/README): a test tool, libc only.
$(BUILD)/gen_scenario: tests/gen/gen_scenario.c
	@mkdir -p $(BUILD)
	$(CC) $(WARN) $(CFLAGS) $(SANFLAGS) -o $@ tests/gen/gen_scenario.c

-include $(OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)

# Missing build dependencies are installed with apt-get when we are root
# on a Debian-like machine; otherwise the exact command is printed.
deps:
	@missing=; for p in $(APT_BUILD) $(if $(filter check unit golden fuzz-replay bench,$(MAKECMDGOALS)),$(APT_CHECK)) $(if $(filter fuzz,$(MAKECMDGOALS)),$(APT_FUZZ)); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing build dependencies; run as root:"; \
	    echo "  apt-get update && apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

unit: deps reskontra $(BUILD)/unit-tests
	$(BUILD)/unit-tests --jobs=2

golden: deps reskontra
	RESKONTRA=$(CURDIR)/$(BUILD)/reskontra sh tests/golden.sh

check: deps reskontra $(BUILD)/unit-tests $(BUILD)/gen_scenario $(FUZZ_BINS)
	$(BUILD)/unit-tests --jobs=2
	sh tests/fuzz/replay.sh $(BUILD)/fuzz
	RESKONTRA=$(CURDIR)/$(BUILD)/reskontra sh tests/golden.sh
	sh tests/gen/selftest.sh $(BUILD)/gen_scenario $(BUILD)/reskontra
	RESKONTRA=$(CURDIR)/$(BUILD)/reskontra sh tests/e2e/both-ways.sh $(BUILD)/gen_scenario
	RESKONTRA=$(CURDIR)/$(BUILD)/reskontra sh tests/spool/run-tests.sh
	RESKONTRA=$(CURDIR)/$(BUILD)/reskontra sh tests/deploy/check.sh
	RESKONTRA=$(CURDIR)/$(BUILD)/reskontra sh tests/man/check.sh

fuzz-replay: deps $(FUZZ_BINS)
	sh tests/fuzz/replay.sh $(BUILD)/fuzz

demo: all
	sh samples/demo.sh ./reskontra

bench: all
	sh tests/bench/bench.sh ./reskontra

FUZZ_SECONDS ?= 60
fuzz: deps
	sh tests/fuzz/run.sh $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/schemas
	install -m 755 reskontra $(DESTDIR)$(BINDIR)/reskontra
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	if ls formats/schemas/*.xsd >/dev/null 2>&1; then install -m 644 formats/schemas/*.xsd $(DESTDIR)$(DATADIR)/schemas/; fi
	install -d $(DESTDIR)$(DOCDIR)/formats
	install -m 644 formats/*.md $(DESTDIR)$(DOCDIR)/formats/
	install -m 644 README $(DESTDIR)$(DOCDIR)/

clean:
	rm -rf build build-asan build-fuzz reskontra
