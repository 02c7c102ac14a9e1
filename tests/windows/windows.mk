# SPDX-License-Identifier: MIT
# The Windows pieces, included at the end of the Makefile:
#
#   make windows-deps    cross-build OpenSSL, libcurl, cJSON and cmocka for Windows from
#                        Debian's source packages (mingw-w64), cached outside the checkout
#   make check-windows   the Windows tests under wine64 (skips with a message where mingw-w64
#                        or wine64 are missing; builds the libraries on first use)

WIN_HOST ?= x86_64-w64-mingw32
WIN_CC ?= $(WIN_HOST)-gcc
WIN_BUILD ?= $(BUILD)/windows
WINE ?= /usr/lib/wine/wine64
# Set by check-windows from tests/windows/deps.sh --prefix for the sub-make.
WIN_PREFIX ?=

.PHONY: windows-deps check-windows windows-test-build

# --- cross-built, run under wine -------------------------------------------------------------
WIN_PKG_CONFIG = PKG_CONFIG_LIBDIR=$(WIN_PREFIX)/lib/pkgconfig $(PKG_CONFIG) --static
WIN_CFLAGS = -std=gnu11 -O2 -g $(WARNFLAGS) -D_WIN32_WINNT=0x0601 -Iinclude -Iheci \
	$(shell $(WIN_PKG_CONFIG) --cflags libcurl openssl)
WIN_LDFLAGS = -static
WIN_LIBS = $(shell $(WIN_PKG_CONFIG) --libs libcurl openssl)

WIN_EXES := $(WIN_BUILD)/wincheck.exe

windows-deps:
	@sh tests/windows/deps.sh >/dev/null

$(WIN_BUILD)/obj/%.o: tests/windows/%.c
	@mkdir -p $(@D)
	$(call say,WINCC,$<)$(WIN_CC) $(WIN_CFLAGS) -Itests/windows -MMD -MP -c -o $@ $<

$(WIN_BUILD)/wincheck.exe: $(WIN_BUILD)/obj/wincheck.o
	$(call say,WINLD,$@)$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_LIBS)

windows-test-build: $(WIN_EXES)

check-windows:
	@if ! command -v $(WIN_CC) >/dev/null 2>&1 || [ ! -x $(WINE) ]; then \
		echo "check-windows: skipped: needs mingw-w64 ($(WIN_CC)) and wine64 ($(WINE));" \
			"make windows-deps installs them (as root)"; \
		exit 0; \
	fi; \
	p=$$(sh tests/windows/deps.sh --prefix) || p=$$(sh tests/windows/deps.sh) || exit 1; \
	$(MAKE) --no-print-directory WIN_PREFIX="$$p" windows-test-build && \
	WIN_BUILD=$(WIN_BUILD) WIN_PREFIX="$$p" WINE=$(WINE) sh tests/windows/run.sh
