# SPDX-License-Identifier: MIT
# The Windows pieces, included at the end of the Makefile:
#
#   make windows         build/windows/amtact.exe: the agent for Windows (x86-64, static,
#                        system DLLs only), from the same sources with the port layer's
#                        src/os/windows*.c
#   make windows-deps    cross-build OpenSSL, libcurl, cJSON, libusb and cmocka for Windows
#                        from Debian's source packages (mingw-w64), cached outside the
#                        checkout
#   make check-windows   compile the transport for Windows, run the Windows tests under
#                        wine64 (skips with a message where mingw-w64 or wine64 are
#                        missing; builds the libraries on first use)
#
# Every `make check` also runs the Windows HECI backend's unit test, built on Linux against
# the fake Win32 headers in tests/windows/fakewin/ (no mingw needed).

WIN_HOST ?= x86_64-w64-mingw32
WIN_CC ?= $(WIN_HOST)-gcc
WIN_BUILD ?= $(BUILD)/windows
WINE ?= /usr/lib/wine/wine64
# Set by check-windows from tests/windows/deps.sh --prefix for the sub-make.
WIN_PREFIX ?=

.PHONY: windows windows-build windows-deps check-windows windows-test-build

# --- the HECI backend's mocked unit test, on Linux ----------------------------------------
MOCKWIN_CPPFLAGS := -Itests/windows -Itests/windows/fakewin
HECI_WIN_TEST := $(BUILD)/tests/test_heci_windows
HECI_WIN_OBJ := $(BUILD)/tests/windows/heci_windows.o $(BUILD)/tests/windows/mockwin.o \
	$(BUILD)/tests/windows/test_heci_windows.o

# The backend and its test see what the transport layer sees (+ its private folder).
$(BUILD)/tests/windows/heci_windows.o: heci/windows.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(MOCKWIN_CPPFLAGS) $(HECI_INC) -Iheci -D_WIN32 \
		-include tests/windows/mockwin.h $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/windows/%.o: tests/windows/%.c $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CPPFLAGS) $(MOCKWIN_CPPFLAGS) $(HECI_INC) -Iheci $(CFLAGS) \
		$(CMOCKA_CFLAGS) -c -o $@ $<

$(HECI_WIN_TEST): $(HECI_WIN_OBJ) $(WIRE_LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

test-build: $(HECI_WIN_TEST)

# --- cross-built, run under wine -------------------------------------------------------------
WIN_PKG_CONFIG = PKG_CONFIG_LIBDIR=$(WIN_PREFIX)/lib/pkgconfig $(PKG_CONFIG) --static
WIN_CFLAGS = -std=gnu11 -O2 -g $(WARNFLAGS) -D_WIN32_WINNT=0x0601 $(HECI_INC) -Iheci \
	$(shell $(WIN_PKG_CONFIG) --cflags libcurl openssl cmocka)
WIN_LDFLAGS = -static
WIN_LIBS = $(shell $(WIN_PKG_CONFIG) --libs libcurl openssl)
WIN_CMOCKA_LIBS = $(shell $(WIN_PKG_CONFIG) --libs cmocka)

WIN_EXES := $(WIN_BUILD)/wincheck.exe $(WIN_BUILD)/test_heci_windows.exe \
	$(WIN_BUILD)/test_os_windows.exe $(WIN_BUILD)/test_usbid.exe

# --- make windows: the agent --------------------------------------------------------------
# Each layer sees what it sees on Linux; the port layer and the emulator's machine file take
# their Windows files (*_windows.c / src/os/windows*.c) in place of the POSIX ones.
WIN_AGENT_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) src/os/common.c \
	$(wildcard src/os/windows*.c)
WIN_HECI_SRC := $(filter-out heci/linux.c,$(HECI_SRC))
WIN_EMU_SRC := $(filter-out %_posix.c,$(wildcard heci/emu/*.c))
WIN_AMTACT_OBJ = $(patsubst %.c,$(WIN_BUILD)/obj/%.o,src/main.c $(WIN_AGENT_SRC) \
	$(WIN_HECI_SRC) $(WIN_EMU_SRC) $(WIRE_SRC))
# C99 printf (%zu, %lld) from mingw-w64's own stdio, gmtime_r, and explicit_bzero
# (src/os/windows_compat.h). -Wno-format: GCC checks the agent's printf-like functions
# against Microsoft's printf here, not the C99 one actually used; the Linux build checks
# every format.
WIN_DEFS = -D_GNU_SOURCE -D_WIN32_WINNT=0x0601 -DCJSON_HIDE_SYMBOLS \
	-D__USE_MINGW_ANSI_STDIO=1 -D_POSIX_THREAD_SAFE_FUNCTIONS \
	-include src/os/windows_compat.h \
	-DAMTACT_VERSION='"$(VERSION)"' -DAMTACT_DATADIR='"C:/Program Files/amtact"'
WIN_LIB_CFLAGS = $(shell $(WIN_PKG_CONFIG) --cflags libcurl openssl libcjson libusb-1.0)
WIN_AGENT_CFLAGS = -std=gnu11 -O2 -g $(WARNFLAGS) -Wno-format $(WIN_DEFS) $(WIN_LIB_CFLAGS)
# The Win32 libraries beyond what libcurl and libcrypto name: adapters and DNS suffixes
# (iphlpapi), the HECI device and USB devices (setupapi, cfgmgr32), ACLs and the Event Log
# (advapi32). libusb loads what it needs of SetupAPI itself.
WIN_AGENT_LIBS = $(shell $(WIN_PKG_CONFIG) --libs libcurl openssl libcjson libusb-1.0) \
	-liphlpapi -lcfgmgr32 -lsetupapi -ladvapi32 -lbcrypt -lws2_32 -lcrypt32 -lgdi32
WIN_AGENT_LDFLAGS = -static -municode -Wl,--wrap=strerror

windows:
	@if ! command -v $(WIN_CC) >/dev/null 2>&1; then \
		echo "windows: needs mingw-w64 ($(WIN_CC)); make windows-deps installs it (as root)" >&2; \
		exit 1; \
	fi; \
	p=$$(sh tests/windows/deps.sh --prefix) || p=$$(sh tests/windows/deps.sh) || exit 1; \
	$(MAKE) --no-print-directory WIN_PREFIX="$$p" windows-build

windows-build: $(WIN_BUILD)/amtact.exe

# main() becomes amtact_main(), called by the wide-character entry point (windows_main.c).
$(WIN_BUILD)/obj/src/main.o: src/main.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_AGENT_CFLAGS) $(AGENT_INC) -Dmain=amtact_main \
		-Wno-missing-prototypes \
		-MMD -MP -c -o $@ $<

$(WIN_BUILD)/obj/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_AGENT_CFLAGS) $(AGENT_INC) -MMD -MP -c -o $@ $<

$(WIN_BUILD)/obj/heci/emu/%.o: heci/emu/%.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_AGENT_CFLAGS) $(EMU_INC) -Iheci/emu -MMD -MP -c -o $@ $<

$(WIN_BUILD)/obj/heci/wire/%.o: heci/wire/%.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_AGENT_CFLAGS) $(WIRE_INC) -MMD -MP -c -o $@ $<

$(WIN_BUILD)/amtact.exe: $(WIN_AMTACT_OBJ)
	$(call say,WINLD,$@)$(WIN_CC) $(WIN_AGENT_LDFLAGS) -o $@ $^ $(WIN_AGENT_LIBS)

windows-deps:
	@sh tests/windows/deps.sh >/dev/null

$(WIN_BUILD)/obj/heci_windows.o: heci/windows.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_CFLAGS) -Itests/windows \
		-include tests/windows/mockwin.h -MMD -MP -c -o $@ $<

$(WIN_BUILD)/obj/heci/%.o: heci/%.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_CFLAGS) -include src/os/windows_compat.h \
		-MMD -MP -c -o $@ $<

$(WIN_BUILD)/obj/%.o: tests/windows/%.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_CFLAGS) -Itests/windows -MMD -MP -c -o $@ $<

$(WIN_BUILD)/test_heci_windows.exe: $(WIN_BUILD)/obj/heci_windows.o \
		$(WIN_BUILD)/obj/mockwin.o $(WIN_BUILD)/obj/test_heci_windows.o \
		$(WIN_BUILD)/obj/heci/wire/buf.o
	$(call say,WINLD,$@)$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_CMOCKA_LIBS)

# The port layer's own test, linked with the port layer as amtact.exe has it.
WIN_OS_OBJ = $(patsubst %.c,$(WIN_BUILD)/obj/src/os/%.o,common.c windows.c windows_acl.c \
	windows_sys.c windows_err.c windows_walk.c)
$(WIN_BUILD)/obj/test_os_windows.o: tests/windows/test_os_windows.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_AGENT_CFLAGS) $(AGENT_INC) -Isrc/os \
		$(shell $(WIN_PKG_CONFIG) --cflags cmocka) -MMD -MP -c -o $@ $<

$(WIN_BUILD)/test_os_windows.exe: $(WIN_BUILD)/obj/test_os_windows.o $(WIN_OS_OBJ)
	$(call say,WINLD,$@)$(WIN_CC) -static -Wl,--wrap=strerror -o $@ $^ $(WIN_CMOCKA_LIBS) \
		-ladvapi32 -lbcrypt

# Windows's USB names taken apart (src/usbid.c): the Linux unit test, built for Windows.
$(WIN_BUILD)/obj/test_usbid.o: tests/unit/test_usbid.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_AGENT_CFLAGS) $(AGENT_INC) \
		$(shell $(WIN_PKG_CONFIG) --cflags cmocka) -MMD -MP -c -o $@ $<

$(WIN_BUILD)/test_usbid.exe: $(WIN_BUILD)/obj/test_usbid.o $(WIN_BUILD)/obj/src/usbid.o \
		$(WIN_BUILD)/obj/src/os/common.o
	$(call say,WINLD,$@)$(WIN_CC) -static -o $@ $^ $(WIN_CMOCKA_LIBS)

$(WIN_BUILD)/wincheck.exe: $(WIN_BUILD)/obj/wincheck.o
	$(call say,WINLD,$@)$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_LIBS)

windows-test-build: $(WIN_EXES) $(WIN_BUILD)/amtact.exe

check-windows:
	@if ! command -v $(WIN_CC) >/dev/null 2>&1 || [ ! -x $(WINE) ]; then \
		echo "check-windows: skipped: needs mingw-w64 ($(WIN_CC)) and wine64 ($(WINE));" \
			"make windows-deps installs them (as root)"; \
		exit 0; \
	fi; \
	p=$$(sh tests/windows/deps.sh --prefix) || p=$$(sh tests/windows/deps.sh) || exit 1; \
	$(MAKE) --no-print-directory WIN_PREFIX="$$p" windows-test-build && \
	WIN_BUILD=$(WIN_BUILD) WIN_PREFIX="$$p" WINE=$(WINE) sh tests/windows/run.sh
