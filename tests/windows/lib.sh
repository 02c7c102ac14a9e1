# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Shared by the Windows tests: wine64 with a private prefix under the build folder, kept
# between runs (its first boot takes a few seconds). Sourced (POSIX sh); needs WIN_BUILD, WINE.

export WINEPREFIX="$WIN_BUILD/wineprefix"
export WINEDEBUG=-all
# No Mono or Gecko install prompts: nothing here needs .NET or a browser engine.
export WINEDLLOVERRIDES="mscoree,mshtml="
WINESERVER=$(dirname "$WINE")/wineserver

# Create the prefix once; later calls only check it.
wine_init() {
	[ -f "$WINEPREFIX/system.reg" ] && return 0
	mkdir -p "$WIN_BUILD"
	"$WINE" wineboot --init && "$WINESERVER" -w
}

# The prefix's wineserver, which outlives the programs for a moment, is ours to stop.
wine_stop() {
	"$WINESERVER" -k >/dev/null 2>&1 || true
}
