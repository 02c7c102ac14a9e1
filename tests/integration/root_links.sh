#!/bin/sh
# SPDX-License-Identifier: MIT
# As root, amtact never follows a user's link nor writes through a user's directory: the
# state and spool directories are reached component by component without following links
# and must be root's all the way down; the log file must be a regular file of root's
# alone; profile-check refuses what run would refuse (a symlinked token or OTP file).
# Needs root (the "user" is nobody).
. "$(dirname "$0")/lib_run.sh"
[ "$(id -u)" = 0 ] || skip "needs root (checks what root refuses to follow)"
id nobody >/dev/null 2>&1 || skip "no user \"nobody\" to own the user's directory"

U=$WORK/user        # a user's directory, as /home/someone would be
R=$WORK/rootonly    # a root-only directory the user can name but not write
mkdir -p "$U" "$R"
chmod 0755 "$U"
chmod 0700 "$R"
chown nobody "$U"
ln -s "$R" "$U/link"
ln -s "$R" "$WORK/rootlink"  # a link in root's own directory: not followed either

# --- state directory through the user's link, or inside the user's directory ---------------
n=0
for where in "$U/link/state" "$U/state" "$WORK/rootlink/state"; do
	n=$((n + 1))
	scenario "state$n" amt16-factory "{\"state_dir\": \"$where\"}"
	run
	expect_rc 4 "state_dir $where"
	expect_err "not safe" "state_dir $where"
	[ ! -e "$R/state" ] && [ ! -e "$U/state" ] || sfail "state_dir $where: root created it"
	[ -z "$(m 'd.get("otp", {}).get("sha256", "")')" ] || sfail "state_dir $where: the run went on"
done
grep -q "user: owned by another user" "$WORK/state1/err" || sfail "the user's directory is not named"
grep -q "user: owned by another user" "$WORK/state2/err" || sfail "the user's directory is not named"
grep -q "rootlink: a symbolic link" "$WORK/state3/err" || sfail "the link is not named"
ok "state_dir through a link or in a user's directory: refused, nothing created"

# --- spool directory through the user's link ------------------------------------------------
scenario spool amt16-factory "{\"report_file\": null, \"spool_dir\": \"$WORK/rootlink/spool\"}"
run
expect_rc 4 "spool_dir through a link"
grep -q "NOT saved" "$S/out" || sfail "spool: the output does not say the report was not saved"
[ ! -e "$R/spool" ] || sfail "root created the spool behind the user's link"
ok "spool_dir through a link: refused, nothing created behind it"

# --- the log file ------------------------------------------------------------------------------
: >"$U/amtact.log"
chown nobody "$U/amtact.log"
chmod 0644 "$U/amtact.log"
scenario log1 amt16-factory "{\"log\": {\"file\": \"$U/amtact.log\", \"level\": \"info\"}}"
run
expect_rc 0 "a run with a user's log file"
expect_err "logging to stderr only" "a user's log file"
[ ! -s "$U/amtact.log" ] || sfail "root appended to the user's log file"
mkdir "$WORK/logs"
: >"$WORK/logs/own.log"
chown nobody "$WORK/logs/own.log"
scenario log2 amt16-factory "{\"log\": {\"file\": \"$WORK/logs/own.log\", \"level\": \"info\"}}"
run
expect_err "not root's alone" "a log file owned by a user in root's directory"
[ ! -s "$WORK/logs/own.log" ] || sfail "root appended to a file owned by a user"
scenario log3 amt16-factory "{\"log\": {\"file\": \"$WORK/logs/root.log\", \"level\": \"info\"}}"
run
expect_rc 0 "a run with root's own log file"
grep -q "run=" "$WORK/logs/root.log" || sfail "root's own log file was not written"
ok "log file: a user's file, or one in a user's directory, is never appended to"

# --- profile-check applies run's rules to the files a profile names ----------------------------
printf 'token-for-the-test\n' >"$WORK/token"
chmod 0600 "$WORK/token"
ln -s "$WORK/token" "$WORK/token-link"
printf 'Kq7-Zr2vXw9mT4pLs8\n' >"$WORK/otp"
chmod 0600 "$WORK/otp"
ln -s "$WORK/otp" "$WORK/otp-link"
for f in token otp; do
	if [ $f = token ]; then
		extra="{\"report_file\": null, \"server\": {\"url\": \"https://127.0.0.1:9/r\", \"token_file\": \"$WORK/token-link\"}}"
	else
		extra="{\"otp\": {\"policy\": \"file\", \"file\": \"$WORK/otp-link\"}}"
	fi
	scenario "pc$f" amt16-factory "$extra"
	"$AMTACT" profile-check "$S/p.json" >"$S/out" 2>"$S/err"
	RC=$?
	[ "$RC" = 4 ] || sfail "profile-check with a symlinked $f file: exit $RC, expected 4"
	expect_err "symbolic link" "profile-check, symlinked $f file"
	run
	expect_rc 4 "run with a symlinked $f file"
	expect_err "symbolic link" "run, symlinked $f file"
done
ok "a symlinked token or OTP file fails profile-check exactly as it fails run"
