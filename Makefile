# SPDX-License-Identifier: MIT
# amtact: one non-recursive Makefile. Every knob can be overridden: make PREFIX=/usr WERROR=1
#
#   make            build amtact and amtsim into $(BUILD)/
#   make check      install missing Debian packages (as root), build, run every test
#   make demo       the main job on the embedded default (emulator + local interim server)
#   make bench      costs against targets (tests/bench.py; BENCH_AGENTS=N, BENCH_ARGS=...)
#   make fuzz       libFuzzer targets (clang) into build-fuzz/; FUZZ_SECONDS=N runs each
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
LIBDIR ?= $(PREFIX)/lib
PKGLIBDIR ?= $(LIBDIR)/amtact
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
PKG_CONFIG ?= pkg-config
CC ?= cc
INSTALL ?= install
WERROR ?= 0
SANITIZE ?= 0
VERSION ?= 0.1.0
# 1: the HTTP stack (src/report.c, report_curl.c, report_fetch.c + libcurl) is a module,
# amtact-http.so, loaded only by commands that report (README, "Start-up"); 0: linked into
# amtact (the Windows build).
HTTP_PLUGIN ?= 1
# 1: the USB library (src/usb_libusb.c + libusb, libudev) is a module, amtact-usb.so, loaded
# only by `usbkey write --key`; 0: linked in.
USB_PLUGIN ?= $(HTTP_PLUGIN)
# 1: sealing and certificate chains (src/seal.c, src/certcheck.c + libcrypto) are a module,
# amtact-crypto.so, loaded only by a run that seals an OTP and `diagnose --cert-chain`.
CRYPTO_PLUGIN ?= $(HTTP_PLUGIN)

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
PKGS := openssl libcurl libcjson fuse3 libusb-1.0
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
	-DAMTACT_PKGLIBDIR='"$(PKGLIBDIR)"' -MMD -MP

# Layers, bottom up; each sees only its own headers and the public headers of the layers
# below it, so the compiler itself refuses a wrong include (README.md, "Layers"):
#   wire       heci/wire/          byte helpers and client GUIDs both sides of the wire use
#   emulator   heci/emu/           the firmware model (public: heci/emu/include/)
#   transport  heci/               HECI/MEI backends and the sim backend (public: heci/include/)
#   amtsim     heci/fuse/          the FUSE daemon: wire + emulator, no transport, no agent
#   agent      src/ + include/     libamtact.a and main
WIRE_INC := -Iheci/wire
EMU_INC := $(WIRE_INC) -Iheci/emu/include
HECI_INC := $(EMU_INC) -Iheci/include
AMTSIM_INC := $(EMU_INC)
AGENT_INC := -Iinclude -Iheci/include -Iheci/wire
CFLAGS ?= $(OPTFLAGS)
CFLAGS += -std=gnu11 $(WARNFLAGS) -fstack-protector-strong -fPIE
AGENT_CFLAGS = $(call pkg_cflags,openssl libcurl libcjson libusb-1.0)
CJSON_CFLAGS = $(call pkg_cflags,libcjson)
LDFLAGS += $(SANLDFLAGS) -pie -Wl,-z,relro,-z,now
CURL_LIBS = $(call pkg_libs,libcurl openssl)
USB_LIBS = $(call pkg_libs,libusb-1.0)
CRYPTO_LIBS = $(call pkg_libs,libcrypto)
ifeq ($(HTTP_PLUGIN),1)
LIBS := $(call pkg_libs,libcjson) -ldl -lpthread
else
CPPFLAGS += -DAMTACT_HTTP_STATIC
LIBS := $(call pkg_libs,libcurl libcjson openssl) -ldl -lpthread
endif
ifneq ($(CRYPTO_PLUGIN),1)
CPPFLAGS += -DAMTACT_CRYPTO_STATIC
LIBS += $(CRYPTO_LIBS)
endif
ifneq ($(USB_PLUGIN),1)
CPPFLAGS += -DAMTACT_USB_STATIC
LIBS += $(USB_LIBS)
endif
AMTSIM_LDLIBS := $(call pkg_libs,libcjson) -lpthread

FUSE_CFLAGS = $(call pkg_cflags,fuse3)
FUSE_LIBS = $(call pkg_libs,fuse3)
CMOCKA_CFLAGS = $(call pkg_cflags,cmocka)
CMOCKA_LIBS = $(call pkg_libs,cmocka)

# Sources are picked up by directory, so a new module needs no Makefile edit.
WIRE_SRC := $(wildcard heci/wire/*.c)
# Per-system files: *_windows.c are built by `make windows` (tests/windows/windows.mk).
EMU_SRC := $(filter-out %_windows.c,$(wildcard heci/emu/*.c))
HECI_SRC := $(wildcard heci/*.c)
# The port layer (include/os.h): src/os/common.c and this system's files of src/os/
# (src/os/windows*.c are built by `make windows`).
OS_SRC := src/os/common.c $(wildcard src/os/posix*.c)
LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(OS_SRC)
# The HTTPS module: the report transport and the few agent files it uses, built -fPIC.
# The files that use libcurl are the module's alone; the others are the agent's too.
HTTP_CURL_SRC := src/report.c src/report_curl.c src/report_fetch.c
HTTP_SRC := $(HTTP_CURL_SRC) src/report_common.c src/report_otp.c src/secret.c src/fileio.c \
	src/os/common.c src/os/posix.c src/os/posix_sys.c
HTTP_OBJ := $(HTTP_SRC:%.c=$(BUILD)/http/%.o)
ifeq ($(HTTP_PLUGIN),1)
LIB_SRC := $(filter-out $(HTTP_CURL_SRC),$(LIB_SRC))
HTTP_SO := $(BUILD)/amtact-http.so
# Tests and tools link the module in, as the Windows build does (one binary each, no
# search path); the agent's integration tests load the module as installed.
TEST_HTTP_OBJ := $(HTTP_CURL_SRC:%.c=$(BUILD)/http/%.o) $(BUILD)/http/report_load_static.o
TEST_LIBS = $(LIBS) $(CURL_LIBS)
else
HTTP_SO :=
TEST_HTTP_OBJ :=
TEST_LIBS = $(LIBS)
endif
# The USB module: the one file that uses libusb, built -fPIC.
USB_OBJ := $(BUILD)/usb/src/usb_libusb.o
ifeq ($(USB_PLUGIN),1)
LIB_SRC := $(filter-out src/usb_libusb.c,$(LIB_SRC))
USB_SO := $(BUILD)/amtact-usb.so
# Tests and tools link it in (and the loader that returns it).
TEST_USB_OBJ := $(USB_OBJ) $(BUILD)/usb/usb_load_static.o
TEST_LIBS += $(USB_LIBS)
else
USB_SO :=
TEST_USB_OBJ :=
endif
# The crypto module: sealing and certificate chains with libcrypto, and the few agent files
# they use (their -fPIC objects are shared with the HTTPS module's).
CRYPTO_SRC := src/seal.c src/certcheck.c src/crypto_module.c src/secret.c src/fileio.c \
	src/os/common.c src/os/posix.c src/os/posix_sys.c
CRYPTO_OBJ := $(CRYPTO_SRC:%.c=$(BUILD)/http/%.o)
ifeq ($(CRYPTO_PLUGIN),1)
LIB_SRC := $(filter-out src/seal.c src/certcheck.c src/crypto_module.c,$(LIB_SRC))
CRYPTO_SO := $(BUILD)/amtact-crypto.so
# Tests and tools link it in (and the loader that returns it).
TEST_CRYPTO_OBJ := $(addprefix $(BUILD)/http/src/,seal.o certcheck.o crypto_module.o) \
	$(BUILD)/http/crypto_load_static.o
TEST_LIBS += $(CRYPTO_LIBS)
else
CRYPTO_SO :=
TEST_CRYPTO_OBJ :=
endif
AMTSIM_SRC := $(wildcard heci/fuse/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)

WIRE_LIB := $(BUILD)/libamtwire.a
EMU_LIB := $(BUILD)/libamtemu.a
HECI_LIB := $(BUILD)/libheci.a
LIB := $(BUILD)/libamtact.a
# What the agent, its tests and tools link, in link order (a layer before those below).
AGENT_LIBS := $(LIB) $(HECI_LIB) $(EMU_LIB) $(WIRE_LIB)
AMTSIM_LIBS := $(EMU_LIB) $(WIRE_LIB)

AMTSIM_OBJ := $(AMTSIM_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/%)
# One replay of the committed fuzz inputs per fuzz target (see `fuzz` below).
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/tests/replay_%)

# Unit tests see the layer they test: the emulator's tests its private headers too, the
# transport's tests (and the write-op tests, which drive the emulator through the sim
# backend's test hooks) the transport's private folder, the rest the agent's (+ src/).
UNIT_WIRE := test_buf test_setupbin
UNIT_EMU := test_fw test_fw_gen test_fw_hello test_fw_rules test_fw_state test_fw_usbkey \
	testlib_fw
UNIT_HECI := test_heci
unit_inc = $(if $(filter $(1),$(UNIT_WIRE)),$(WIRE_INC),$(if $(filter $(1),$(UNIT_EMU)),\
	$(EMU_INC) -Iheci/emu,$(if $(filter $(1),$(UNIT_HECI)),$(HECI_INC) -Iheci,\
	$(AGENT_INC) -Isrc $(if $(filter $(1),test_writeops),-Iheci))))

.PHONY: all check test-build deps demo bench fuzz fuzz-targets install uninstall clean \
	lint-man install-server uninstall-server

all: $(BUILD)/amtact $(BUILD)/amtsim $(HTTP_SO) $(USB_SO) $(CRYPTO_SO)

$(BUILD)/.deps-ok:
	@missing=""; for p in $(PKGS); do $(PKG_CONFIG) --exists $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "amtact: build: missing pkg-config modules:$$missing" >&2; \
		echo "  install them with: make deps   (or: $$(sh tests/deps.sh --print))" >&2; \
		exit 1; \
	fi
	@mkdir -p $(@D) && touch $@

# One compile rule per layer (make picks the most specific pattern).
$(BUILD)/src/%.o: src/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(AGENT_INC) $(CFLAGS) $(AGENT_CFLAGS) -c -o $@ $<

$(BUILD)/http/%.o: %.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(AGENT_INC) $(CFLAGS) -fPIC \
		$(call pkg_cflags,openssl libcurl) -c -o $@ $<

$(BUILD)/http/report_load_static.o: src/report_load.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) -DAMTACT_HTTP_STATIC $(AGENT_INC) $(CFLAGS) \
		-c -o $@ $<

$(BUILD)/http/crypto_load_static.o: src/crypto_load.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) -DAMTACT_CRYPTO_STATIC $(AGENT_INC) $(CFLAGS) \
		-c -o $@ $<

$(BUILD)/amtact-crypto.so: $(CRYPTO_OBJ) src/crypto.map
	$(call say,LD,$@)$(CC) -shared $(filter-out -pie,$(LDFLAGS)) \
		-Wl,--version-script=src/crypto.map -o $@ $(CRYPTO_OBJ) $(CRYPTO_LIBS)

$(BUILD)/usb/%.o: %.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(AGENT_INC) $(CFLAGS) -fPIC \
		$(call pkg_cflags,libusb-1.0) -c -o $@ $<

$(BUILD)/usb/usb_load_static.o: src/usb_load.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) -DAMTACT_USB_STATIC $(AGENT_INC) $(CFLAGS) \
		-c -o $@ $<

$(BUILD)/amtact-usb.so: $(USB_OBJ) src/usb.map
	$(call say,LD,$@)$(CC) -shared $(filter-out -pie,$(LDFLAGS)) \
		-Wl,--version-script=src/usb.map -o $@ $(USB_OBJ) $(USB_LIBS)

# Exports one versioned symbol (src/report.map); no -pie in a shared object.
$(BUILD)/amtact-http.so: $(HTTP_OBJ) src/report.map
	$(call say,LD,$@)$(CC) -shared $(filter-out -pie,$(LDFLAGS)) \
		-Wl,--version-script=src/report.map -o $@ $(HTTP_OBJ) $(CURL_LIBS)

$(BUILD)/heci/%.o: heci/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(HECI_INC) $(CFLAGS) -c -o $@ $<

$(BUILD)/heci/emu/%.o: heci/emu/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(EMU_INC) $(CFLAGS) $(CJSON_CFLAGS) -c -o $@ $<

$(BUILD)/heci/wire/%.o: heci/wire/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(WIRE_INC) $(CFLAGS) -c -o $@ $<

$(BUILD)/heci/fuse/%.o: heci/fuse/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(AMTSIM_INC) $(CFLAGS) $(CJSON_CFLAGS) \
		$(FUSE_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(call unit_inc,$*) $(CFLAGS) $(AGENT_CFLAGS) \
		$(CMOCKA_CFLAGS) -c -o $@ $<

$(BUILD)/tests/tools/%.o: tests/tools/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(AGENT_INC) $(CFLAGS) $(AGENT_CFLAGS) -c -o $@ $<

$(WIRE_LIB): $(WIRE_SRC:%.c=$(BUILD)/%.o)
$(EMU_LIB): $(EMU_SRC:%.c=$(BUILD)/%.o)
$(HECI_LIB): $(HECI_SRC:%.c=$(BUILD)/%.o)
$(LIB): $(LIB_SRC:%.c=$(BUILD)/%.o)
$(WIRE_LIB) $(EMU_LIB) $(HECI_LIB) $(LIB):
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

$(BUILD)/amtact: $(BUILD)/src/main.o $(AGENT_LIBS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# amtsim links no transport and no agent: no libcurl, no OpenSSL (tests/run.sh checks).
$(BUILD)/amtsim: $(AMTSIM_OBJ) $(AMTSIM_LIBS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(FUSE_LIBS) $(AMTSIM_LDLIBS)

# Every unit test links the shared test helpers (tests/unit/testlib*.c).
TESTLIB_OBJ := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(wildcard tests/unit/testlib*.c))
$(BUILD)/tests/libtestlib.a: $(TESTLIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_HTTP_OBJ) $(TEST_USB_OBJ) $(TEST_CRYPTO_OBJ) \
		$(BUILD)/tests/libtestlib.a \
		$(AGENT_LIBS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(TEST_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/tools/%.o $(TEST_HTTP_OBJ) $(TEST_USB_OBJ) $(TEST_CRYPTO_OBJ) \
		$(AGENT_LIBS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS)

test-build: all $(UNIT_BIN) $(TOOL_BIN) $(REPLAY_BIN)

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

# libFuzzer targets (clang): one tests/fuzz/fuzz_NAME.c per parser of outside input, each
# with a seed corpus in tests/fuzz/corpus/NAME/ and named crash inputs in
# tests/fuzz/regress/NAME/. `make fuzz` builds them into build-fuzz/ (the libraries too,
# instrumented); FUZZ_SECONDS=N also runs each for N seconds (tests/fuzz/run.sh) and fails
# on a crash. `make check` replays both folders without a fuzzer (build/tests/replay_NAME).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 0
FUZZ_BUILD ?= build-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_EMU := machine control heci
FUZZ_HELPERS := $(BUILD)/tests/fuzz/fuzzlib.o
fuzz_inc = $(if $(filter $(1),$(FUZZ_EMU)),$(EMU_INC) -Iheci/emu,$(AGENT_INC) -Isrc -Itests/unit)

$(BUILD)/tests/fuzz/%.o: tests/fuzz/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(call fuzz_inc,$(*:fuzz_%=%)) $(CFLAGS) \
		$(AGENT_CFLAGS) -c -o $@ $<

$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o \
		$(FUZZ_HELPERS) $(TEST_HTTP_OBJ) $(TEST_USB_OBJ) $(TEST_CRYPTO_OBJ) \
		$(BUILD)/tests/libtestlib.a $(AGENT_LIBS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(TEST_LIBS)

$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_HELPERS) $(TEST_HTTP_OBJ) $(TEST_USB_OBJ) \
		$(TEST_CRYPTO_OBJ) $(BUILD)/tests/libtestlib.a $(AGENT_LIBS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(CMOCKA_LIBS) $(TEST_LIBS)

fuzz-targets: $(FUZZ_TARGETS:%=$(BUILD)/fuzz_%)

# Installs clang and its runtimes with the rest (as root), else says what is missing.
fuzz:
	@sh tests/deps.sh --fuzz
	@command -v $(FUZZ_CC) >/dev/null || { echo "amtact: fuzz: $(FUZZ_CC) not found \
		(install clang: sh tests/deps.sh --fuzz)" >&2; exit 1; }
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		OPTFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
		SANLDFLAGS="$(FUZZ_SAN)" fuzz-targets
	@if [ "$(FUZZ_SECONDS)" -gt 0 ]; then \
		FUZZ_BUILD=$(FUZZ_BUILD) sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS); fi

lint-man:
	@for m in man/*.[0-9]; do mandoc -T lint -W style $$m || exit 1; done

# Installed man pages name the paths of this build (the sources say /usr/local) and carry
# one date and version: MANDATE, by default the date of man/amtact.8, which every page
# shares (tests/run.sh checks).
MANDATE ?= $(shell sed -n 's/^\.TH [^ ]* [0-9] \([0-9-]*\) .*/\1/p' man/amtact.8)
MAN_SED = -e 's|/usr/local/lib/systemd/system|$(UNITDIR)|g' \
	-e 's|/usr/local/share/amtact|$(DATADIR)|g' -e 's|/usr/local/sbin|$(SBINDIR)|g' \
	-e 's|/usr/local/bin|$(BINDIR)|g' -e 's|/usr/local|$(PREFIX)|g' \
	-e 's|^\(\.TH [^ ]* [0-9]\) [^ ]* "amtact [^"]*"|\1 $(MANDATE) "amtact $(VERSION)"|'

install: all
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/machines $(DESTDIR)$(DATADIR)/profiles
	$(INSTALL) -m 0755 $(BUILD)/amtact $(DESTDIR)$(SBINDIR)/
	$(if $(HTTP_SO),$(INSTALL) -d $(DESTDIR)$(PKGLIBDIR))
	$(if $(HTTP_SO),$(INSTALL) -m 0644 $(HTTP_SO) $(DESTDIR)$(PKGLIBDIR)/)
	$(if $(USB_SO),$(INSTALL) -d $(DESTDIR)$(PKGLIBDIR))
	$(if $(USB_SO),$(INSTALL) -m 0644 $(USB_SO) $(DESTDIR)$(PKGLIBDIR)/)
	$(if $(CRYPTO_SO),$(INSTALL) -d $(DESTDIR)$(PKGLIBDIR))
	$(if $(CRYPTO_SO),$(INSTALL) -m 0644 $(CRYPTO_SO) $(DESTDIR)$(PKGLIBDIR)/)
	$(INSTALL) -m 0755 $(BUILD)/amtsim $(DESTDIR)$(BINDIR)/
	for m in man/*.8 man/*.5; do s=$${m##*.}; sed $(MAN_SED) $$m \
		> $(DESTDIR)$(MANDIR)/man$$s/$${m##*/} && chmod 0644 $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done
	$(INSTALL) -m 0644 man/amtact-report.schema.json $(DESTDIR)$(DATADIR)/
	$(INSTALL) -m 0644 profiles/machines/*.json $(DESTDIR)$(DATADIR)/machines/
	for p in $(wildcard profiles/*.json); do $(INSTALL) -m 0644 $$p $(DESTDIR)$(DATADIR)/profiles/; done
	$(INSTALL) -d $(DESTDIR)$(UNITDIR)
	for u in amtact@.service amtact-flush@.service; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' profiles/systemd/$$u.in > $(DESTDIR)$(UNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	$(INSTALL) -m 0644 profiles/systemd/amtact-flush@.timer $(DESTDIR)$(UNITDIR)/
	@$(MAKE) --no-print-directory install-server

# amtact-interim: the Python package under LIBDIR, the command (pointed at it), its unit,
# system user and an example options file.
SERVER_LIB = $(LIBDIR)/amtact-interim
install-server:
	$(INSTALL) -d $(DESTDIR)$(SERVER_LIB)/amtact_interim $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DATADIR)
	$(INSTALL) -m 0644 server/amtact_interim/*.py $(DESTDIR)$(SERVER_LIB)/amtact_interim/
	sed 's|^LIBDIR = .*|LIBDIR = "$(SERVER_LIB)"|' server/amtact-interim \
		> $(DESTDIR)$(SBINDIR)/amtact-interim
	chmod 0755 $(DESTDIR)$(SBINDIR)/amtact-interim
	sed 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		server/amtact-interim.service.in > $(DESTDIR)$(UNITDIR)/amtact-interim.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/amtact-interim.service
	$(INSTALL) -m 0644 server/amtact-interim.sysusers $(DESTDIR)$(SYSUSERSDIR)/amtact-interim.conf
	$(INSTALL) -m 0644 server/serve.conf.example $(DESTDIR)$(DATADIR)/amtact-interim.conf.example

uninstall-server:
	rm -rf $(DESTDIR)$(SERVER_LIB)
	rm -f $(DESTDIR)$(SBINDIR)/amtact-interim $(DESTDIR)$(UNITDIR)/amtact-interim.service
	rm -f $(DESTDIR)$(SYSUSERSDIR)/amtact-interim.conf

uninstall: uninstall-server
	rm -f $(DESTDIR)$(SBINDIR)/amtact $(DESTDIR)$(BINDIR)/amtsim
	rm -rf $(DESTDIR)$(PKGLIBDIR)
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(wildcard man/*.8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(UNITDIR)/amtact@.service $(DESTDIR)$(UNITDIR)/amtact-flush@.service \
		$(DESTDIR)$(UNITDIR)/amtact-flush@.timer

clean:
	rm -rf build build-asan build-fuzz

# Keep test objects: without this make deletes them as intermediates and relinks each time.
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Windows: cross-built libraries, wine tests, the HECI backend's mocked unit test.
include tests/windows/windows.mk

# The boot medium for drop-shipped PCs (profiles/bootmedia/build.sh): a hybrid ISO for CD and
# USB stick, BIOS and UEFI, from Debian's kernel, busybox and this amtact. BOOTMEDIA_CONFIG is
# the folder with profile.json and the files it names (README, "Drop-shipped PCs"); the kernel
# package is kept in AMTACT_BOOTMEDIA_CACHE (default /var/cache/amtact-bootmedia).
BOOTMEDIA_CONFIG ?= profiles/bootmedia/example
bootmedia: $(BUILD)/amtact
	sh profiles/bootmedia/build.sh --amtact $(BUILD)/amtact --config $(BOOTMEDIA_CONFIG) \
		--out $(BUILD)/amtact-bootmedia.iso --work $(BUILD)/bootmedia
.PHONY: bootmedia
