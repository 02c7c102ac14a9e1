# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Sourced by tests/run.sh and tests/cases/show-diffs.sh (needs TOPDIR and AMTACT set).
#
# case_run DIR WORK: runs the case in folder DIR - args (one argument per line, @WORK@ and
# @TOP@ replaced), machine (a file under profiles/machines, key generation time 0) or
# state.json (an emulator state
# in the folder), amtact then running with --device sim:<a private copy in WORK> - and
# leaves WORK/out (stdout, WORK's path written @WORK@), WORK/err (stderr) and WORK/exit
# (the exit code).
case_run() {
	case_dir=$1
	case_work=$2
	mkdir -p "$case_work"
	if [ -f "$case_dir/state.json" ]; then
		cp "$case_dir/state.json" "$case_work/state.json"
	elif [ -f "$case_dir/machine" ]; then
		# the example machine without key generation at its first power-up
		sed '1s/^{$/{ "key_generation_s": 0,/' \
			"$TOPDIR/profiles/machines/$(cat "$case_dir/machine")" >"$case_work/state.json"
	fi
	set --
	[ -f "$case_work/state.json" ] && set -- --device "sim:$case_work/state.json"
	while IFS= read -r a || [ -n "$a" ]; do
		a=$(printf '%s' "$a" | sed "s|@WORK@|$case_work|g; s|@TOP@|$TOPDIR|g")
		set -- "$@" "$a"
	done <"$case_dir/args"
	( cd "$case_work" && AMTACT_DEVICE='' timeout 60 "$AMTACT" "$@" ) \
		>"$case_work/raw" 2>"$case_work/err" </dev/null
	echo $? >"$case_work/exit"
	# The private copy's path varies per run: expected output spells it @WORK@.
	sed "s|$case_work|@WORK@|g" "$case_work/raw" >"$case_work/out"
}
