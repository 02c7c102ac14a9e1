# SPDX-License-Identifier: MIT
# The Windows pieces, included at the end of the Makefile:
#
#   make windows-deps    cross-build OpenSSL, libcurl, cJSON and cmocka for Windows from
#                        Debian's source packages (mingw-w64), cached outside the checkout
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

.PHONY: windows-deps check-windows windows-test-build

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
# The transport and wire layers compiled for Windows with the real headers (a check that
# they build: the emulator below them still needs the port layer for its state file).
WIN_TRANSPORT_OBJ = $(patsubst %.c,$(WIN_BUILD)/obj/%.o,$(WIRE_SRC) $(HECI_SRC))

WIN_EXES := $(WIN_BUILD)/wincheck.exe $(WIN_BUILD)/test_heci_windows.exe

windows-deps:
	@sh tests/windows/deps.sh >/dev/null

$(WIN_BUILD)/obj/heci_windows.o: heci/windows.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_CFLAGS) -Itests/windows \
		-include tests/windows/mockwin.h -MMD -MP -c -o $@ $<

$(WIN_BUILD)/obj/heci/%.o: heci/%.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_CFLAGS) -MMD -MP -c -o $@ $<

$(WIN_BUILD)/obj/%.o: tests/windows/%.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_CFLAGS) -Itests/windows -MMD -MP -c -o $@ $<

$(WIN_BUILD)/test_heci_windows.exe: $(WIN_BUILD)/obj/heci_windows.o \
		$(WIN_BUILD)/obj/mockwin.o $(WIN_BUILD)/obj/test_heci_windows.o \
		$(WIN_BUILD)/obj/heci/wire/buf.o
	$(call say,WINLD,$@)$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_CMOCKA_LIBS)

$(WIN_BUILD)/wincheck.exe: $(WIN_BUILD)/obj/wincheck.o
	$(call say,WINLD,$@)$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_LIBS)

windows-test-build: $(WIN_EXES) $(WIN_TRANSPORT_OBJ)

check-windows:
	@if ! command -v $(WIN_CC) >/dev/null 2>&1 || [ ! -x $(WINE) ]; then \
		echo "check-windows: skipped: needs mingw-w64 ($(WIN_CC)) and wine64 ($(WINE));" \
			"make windows-deps installs them (as root)"; \
		exit 0; \
	fi; \
	p=$$(sh tests/windows/deps.sh --prefix) || p=$$(sh tests/windows/deps.sh) || exit 1; \
	$(MAKE) --no-print-directory WIN_PREFIX="$$p" windows-test-build && \
	WIN_BUILD=$(WIN_BUILD) WIN_PREFIX="$$p" WINE=$(WINE) sh tests/windows/run.sh
