# SPDX-License-Identifier: MIT
# The Windows pieces, included at the end of the Makefile:
#
#   make windows-deps    cross-build OpenSSL, libcurl, cJSON and cmocka for Windows from
#                        Debian's source packages (mingw-w64), cached outside the checkout

.PHONY: windows-deps

windows-deps:
	@sh tests/windows/deps.sh >/dev/null
