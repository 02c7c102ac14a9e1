#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact.exe install-task` / `uninstall-task` with wine's Task Scheduler: the task
# amtact\NAME registered from the definition amtact made (boot trigger, SYSTEM, network
# condition, the program's own path and `run --profile NAME`), the task "amtact\NAME flush"
# that retries queued reports, and the Event Log source with them; a profile that does not load or a bad name registers nothing; uninstall removes both;
# --print shows the schtasks line and the XML. Environment from run.sh.
set -u
TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WIN_BUILD=${WIN_BUILD:-$TOPDIR/build/windows}
WINE=${WINE:-/usr/lib/wine/wine64}
EXE=$WIN_BUILD/amtact.exe
fail() { echo "FAIL: $*"; [ -s "$WORK/err" ] && sed 's/^/  stderr| /' "$WORK/err"; exit 1; }
ok() { printf 'ok: %s\n' "$*"; }
[ -x "$WINE" ] || { echo "SKIP: wine64 is not installed ($WINE)"; exit 77; }
[ -f "$EXE" ] || { echo "SKIP: $EXE is not built (make windows)"; exit 77; }
. "$TOPDIR/tests/windows/lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-wintask.XXXXXX")
trap 'wine_stop; rm -rf "$WORK"' EXIT
wine_init >"$WORK/wineboot.log" 2>&1 || { cat "$WORK/wineboot.log"; exit 1; }
TASKS=$WINEPREFIX/drive_c/windows/system32/tasks/amtact
KEY='HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\amtact'

mkdir -p "$WORK/profiles"
cp "$TOPDIR/profiles/report-only.json" "$WORK/profiles/corp.json" || fail "copying a profile"
export AMTACT_PROFILE_DIR="$WORK/profiles"
amtact() {
	"$WINE" "$EXE" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
	RC=$?
}
"$WINE" schtasks /Delete /TN 'amtact\corp' /F >/dev/null 2>&1

amtact install-task --profile corp --print
[ "$RC" = 0 ] || fail "--print: exit $RC"
grep -qF 'schtasks /Create /TN "amtact\corp" /SC ONSTART /DELAY 0001:00 /RU SYSTEM' \
	"$WORK/out" || fail "--print: no schtasks line: $(head -n 3 "$WORK/out")"
for want in '<UserId>S-1-5-18</UserId>' '<RunLevel>HighestAvailable</RunLevel>' '<BootTrigger>' \
	'<RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>' \
	'<Arguments>run --profile corp</Arguments>' '\amtact.exe</Command>' \
	'schtasks /Create /TN "amtact\corp flush" /SC MINUTE /MO 5 /RU SYSTEM' \
	'<Arguments>report --flush --profile corp</Arguments>' '<Interval>PT5M</Interval>'; do
	grep -qF "$want" "$WORK/out" || fail "--print: the XML lacks $want"
done
[ ! -e "$TASKS/corp" ] && [ ! -e "$TASKS/corp flush" ] || fail "--print registered a task"
ok "--print: both schtasks lines and definitions, nothing registered"

amtact install-task --profile corp --json
[ "$RC" = 0 ] || fail "install-task: exit $RC"
grep -qF '"installed":	true' "$WORK/out" || fail "install-task --json: $(cat "$WORK/out")"
[ -f "$TASKS/corp" ] || fail "no task amtact\\corp in wine's Task Scheduler"
# Wine's Task Scheduler keeps the description and the settings of what it was given, but
# not the boot trigger, the SYSTEM principal or the action (it stores them empty): those
# are checked in the definition amtact hands over (--print above, tests/unit/test_task.c).
for want in '<Description>Intel AMT activation at boot: amtact run --profile corp' \
	'<RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>' \
	'<StartWhenAvailable>true</StartWhenAvailable>' \
	'<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>' \
	'<ExecutionTimeLimit>PT1H</ExecutionTimeLimit>'; do
	grep -qF "$want" "$TASKS/corp" || fail "the registered task lacks $want"
done
grep -qF '"flush_task":	"amtact\\corp flush"' "$WORK/out" ||
	fail "install-task --json: no flush_task: $(cat "$WORK/out")"
[ -f "$TASKS/corp flush" ] || fail "no task \"amtact\\corp flush\" in wine's Task Scheduler"
for want in '<Description>Retry the queued Intel AMT activation reports: amtact report --flush --profile corp' \
	'<ExecutionTimeLimit>PT10M</ExecutionTimeLimit>' \
	'<RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>'; do
	grep -qF "$want" "$TASKS/corp flush" || fail "the retry task lacks $want"
done
"$WINE" reg query "$KEY" /v EventMessageFile >/dev/null 2>&1 ||
	fail "the Event Log source amtact is not registered"
ok "install-task: tasks amtact\\corp and \"amtact\\corp flush\" registered with their settings, Event Log source"

amtact install-task --profile missing
[ "$RC" = 8 ] || fail "a profile that does not exist: exit $RC, expected 8"
[ ! -e "$TASKS/missing" ] && [ ! -e "$TASKS/missing flush" ] ||
	fail "a task was registered for a missing profile"
amtact install-task --profile 'a b'
[ "$RC" = 2 ] || fail "a bad profile name: exit $RC, expected 2"
grep -qF 'not a profile name' "$WORK/err" || fail "a bad profile name: the message"
ok "a missing profile (exit 8) or a bad name (exit 2) registers nothing"

amtact uninstall-task --profile corp
[ "$RC" = 0 ] || fail "uninstall-task: exit $RC"
[ ! -e "$TASKS/corp" ] || fail "the task is still there after uninstall-task"
[ ! -e "$TASKS/corp flush" ] || fail "the retry task is still there after uninstall-task"
"$WINE" reg query "$KEY" >/dev/null 2>&1 && fail "the Event Log source is still registered"
amtact uninstall-task --profile corp
[ "$RC" != 0 ] || fail "removing a task that is not there succeeded"
ok "uninstall-task: both tasks and the Event Log source removed; a second one fails"
