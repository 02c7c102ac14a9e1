# SPDX-License-Identifier: MIT
# amtact: one non-recursive Makefile. Every knob can be overridden: make PREFIX=/usr WERROR=1
#
#   make            build amtact and amtsim into $(BUILD)/
#   make check      install missing Debian packages (as root), build, run every test
#   make demo       the main job on the embedded default (emulator + local interim server)
#   make bench      speed and memory targets
#   make install / uninstall / clean
#   SANITIZE=1      build with ASan+UBSan into build-asan/
#   WERROR=1        turn warnings into errors (CI)
#   V=1             show full command lines

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/amtact
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
PKG_CONFIG ?= pkg-config
CC ?= cc
INSTALL ?= install
WERROR ?= 0
SANITIZE ?= 0
VERSION ?= 0.1.0

ifeq ($(SANITIZE),1)
BUILD ?= build-asan
OPTFLAGS ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
SANLDFLAGS := -fsanitize=address,undefined
else
BUILD ?= build
OPTFLAGS ?= -O2 -g -D_FORTIFY_SOURCE=2
SANLDFLAGS :=
endif

# Dependencies through pkg-config; `make` says exactly what is missing.
PKGS := openssl libcurl libcjson fuse3
TEST_PKGS := cmocka
pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

# V=1 shows the full command lines.
V ?= 0
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

WARNFLAGS := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARNFLAGS += -Werror
endif

CPPFLAGS += -D_GNU_SOURCE -DAMTACT_VERSION='"$(VERSION)"' \
	-DAMTACT_SYSCONFDIR='"$(SYSCONFDIR)"' -DAMTACT_DATADIR='"$(DATADIR)"' \
	-Iinclude -Iheci -Iheci/emu -MMD -MP
CFLAGS ?= $(OPTFLAGS)
CFLAGS += -std=gnu11 $(WARNFLAGS) -fstack-protector-strong -fPIE \
	$(call pkg_cflags,openssl libcurl libcjson)
LDFLAGS += $(SANLDFLAGS) -pie -Wl,-z,relro,-z,now
LIBS := $(call pkg_libs,libcurl libcjson openssl) -lpthread

FUSE_CFLAGS = $(call pkg_cflags,fuse3)
FUSE_LIBS = $(call pkg_libs,fuse3)
CMOCKA_CFLAGS = $(call pkg_cflags,cmocka)
CMOCKA_LIBS = $(call pkg_libs,cmocka)

# Sources are picked up by directory, so a new module needs no Makefile edit.
LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard heci/*.c) \
	$(wildcard heci/emu/*.c)
AMTSIM_SRC := $(wildcard heci/fuse/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
AMTSIM_OBJ := $(AMTSIM_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/%)
LIB := $(BUILD)/libamtact.a

.PHONY: all check test-build deps demo bench fuzz install uninstall clean lint-man

all: $(BUILD)/amtact $(BUILD)/amtsim

$(BUILD)/.deps-ok:
	@missing=""; for p in $(PKGS); do $(PKG_CONFIG) --exists $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "amtact: build: missing pkg-config modules:$$missing" >&2; \
		echo "  install them with: make deps   (or: $$(sh tests/deps.sh --print))" >&2; \
		exit 1; \
	fi
	@mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/heci/fuse/%.o: heci/fuse/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) $(FUSE_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) -Isrc $(CFLAGS) $(CMOCKA_CFLAGS) -c -o $@ $<

$(BUILD)/tests/tools/%.o: tests/tools/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

$(BUILD)/amtact: $(BUILD)/src/main.o $(LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/amtsim: $(AMTSIM_OBJ) $(LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(FUSE_LIBS) $(LIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/tools/%.o $(LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

test-build: all $(UNIT_BIN) $(TOOL_BIN)

# Installs what the build and the tests need from Debian (as root), else prints the line.
deps:
	@sh tests/deps.sh

check: deps
	@$(MAKE) --no-print-directory test-build
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh tests/demo.sh

bench: deps
	@$(MAKE) --no-print-directory test-build
	@BUILD=$(BUILD) sh tests/bench.sh

# libFuzzer targets (clang). `make fuzz` builds them; FUZZ_SECONDS=N also runs each.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 0
FUZZ_CODEC_SRC := src/amthi.c src/amthi_dec.c src/amt.c src/amt_status.c src/mkhi.c src/wd.c \
	src/buf.c
fuzz:
	@mkdir -p build-fuzz
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude \
		tests/fuzz/fuzz_amthi.c $(FUZZ_CODEC_SRC) -o build-fuzz/fuzz_amthi
	@if [ "$(FUZZ_SECONDS)" -gt 0 ]; then mkdir -p build-fuzz/corpus && \
		build-fuzz/fuzz_amthi -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus \
		tests/fuzz/corpus/amthi; fi

lint-man:
	@for m in man/*.[0-9]; do mandoc -T lint -W warning $$m || exit 1; done

install: all
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/machines $(DESTDIR)$(DATADIR)/profiles
	$(INSTALL) -m 0755 $(BUILD)/amtact $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0755 $(BUILD)/amtsim $(DESTDIR)$(BINDIR)/
	for m in man/*.8; do $(INSTALL) -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/; done
	for m in $(wildcard man/*.5); do $(INSTALL) -m 0644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	$(INSTALL) -m 0644 man/amtact-report.schema.json $(DESTDIR)$(DATADIR)/
	$(INSTALL) -m 0644 profiles/machines/*.json $(DESTDIR)$(DATADIR)/machines/
	for p in $(wildcard profiles/*.json); do $(INSTALL) -m 0644 $$p $(DESTDIR)$(DATADIR)/profiles/; done
	$(INSTALL) -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' profiles/systemd/amtact@.service.in \
		> $(DESTDIR)$(UNITDIR)/amtact@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/amtact@.service

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/amtact $(DESTDIR)$(BINDIR)/amtsim
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(wildcard man/*.8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(UNITDIR)/amtact@.service

clean:
	rm -rf build build-asan build-fuzz

# Keep test objects: without this make deletes them as intermediates and relinks each time.
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
