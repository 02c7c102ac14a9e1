// SPDX-License-Identifier: MIT
/* The Windows port layer's text conversion, error mapping and ACL rules (os_windows.h). */
#include <windows.h>
#include <aclapi.h>
#include <errno.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"

wchar_t *os_win_wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(*w)) : NULL;

	if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
		free(w);
		w = NULL;
	}
	return w;
}

char *os_win_utf8(const wchar_t *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	char *s = n > 0 ? malloc((size_t)n) : NULL;

	if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
		free(s);
		s = NULL;
	}
	return s;
}

int os_win_errno(DWORD err)
{
	switch (err) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
		return -ENOENT;
	case ERROR_ACCESS_DENIED:
	case ERROR_PRIVILEGE_NOT_HELD:
		return -EACCES;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
		return -EEXIST;
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
		return -EBUSY;
	case ERROR_DIRECTORY:
		return -ENOTDIR;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return -ENOMEM;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		return -ENOSPC;
	case ERROR_INVALID_NAME:
	case ERROR_INVALID_PARAMETER:
	case ERROR_NO_UNICODE_TRANSLATION:
		return -EINVAL;
	case ERROR_FILENAME_EXCED_RANGE:
		return -ENAMETOOLONG;
	case ERROR_DIR_NOT_EMPTY:
		return -ENOTEMPTY;
	case ERROR_CANT_RESOLVE_FILENAME:
		return -ELOOP;
	case ERROR_TOO_MANY_OPEN_FILES:
		return -EMFILE;
	case ERROR_WRITE_PROTECT:
		return -EROFS;
	default:
		return -EIO;
	}
}

/* The current token's user SID (malloc'd once, kept). */
static PSID user_sid(void)
{
	static PSID sid;
	TOKEN_USER *tu = NULL;
	HANDLE tok;
	DWORD len = 0;

	if (sid || !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return sid;
	GetTokenInformation(tok, TokenUser, NULL, 0, &len);
	tu = len ? malloc(len) : NULL;
	if (tu && GetTokenInformation(tok, TokenUser, tu, len, &len)) {
		DWORD n = GetLengthSid(tu->User.Sid);

		sid = malloc(n);
		if (sid)
			CopySid(n, sid, tu->User.Sid);
	}
	free(tu);
	CloseHandle(tok);
	return sid;
}

static bool is_well_known(PSID sid, WELL_KNOWN_SID_TYPE type)
{
	BYTE buf[SECURITY_MAX_SID_SIZE];
	DWORD n = sizeof(buf);

	return CreateWellKnownSid(type, NULL, buf, &n) && EqualSid(sid, buf);
}

/* TrustedInstaller (NT SERVICE\TrustedInstaller), which owns C:\ and the system's files. */
static bool is_trusted_installer(PSID sid)
{
	static PSID ti;

	if (!ti && !ConvertStringSidToSidW(L"S-1-5-80-956008885-3418522649-1831038044-"
					   L"1853292631-2271478464", &ti))
		ti = NULL;
	return ti && EqualSid(sid, ti);
}

bool os_win_admin_sid(PSID sid)
{
	return sid && (is_well_known(sid, WinLocalSystemSid) ||
		       is_well_known(sid, WinBuiltinAdministratorsSid) || is_trusted_installer(sid));
}

SECURITY_DESCRIPTOR *os_win_private_sd(bool dir)
{
	static SECURITY_DESCRIPTOR *sd[2];
	wchar_t sddl[256], *me = NULL;
	PSID user = user_sid();
	const wchar_t *inherit = dir ? L"OICI" : L"";

	if (sd[dir] || !user || !ConvertSidToStringSidW(user, &me))
		return sd[dir];
	_snwprintf(sddl, sizeof(sddl) / sizeof(*sddl) - 1,
		   L"D:P(A;%ls;FA;;;SY)(A;%ls;FA;;;BA)(A;%ls;FA;;;%ls)", inherit, inherit,
		   inherit, me);
	sddl[sizeof(sddl) / sizeof(*sddl) - 1] = 0;
	LocalFree(me);
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
		    sddl, SDDL_REVISION_1, (PSECURITY_DESCRIPTOR *)&sd[dir], NULL))
		sd[dir] = NULL;
	return sd[dir];
}

/* Who may be trusted beside the owner: us (as POSIX trusts what the effective user owns),
   SYSTEM, Administrators, TrustedInstaller, "OWNER RIGHTS". */
static bool trusted(PSID sid, PSID owner)
{
	PSID me = user_sid();

	return EqualSid(sid, owner) || (me && EqualSid(sid, me)) || os_win_admin_sid(sid) ||
	       is_well_known(sid, WinCreatorOwnerRightsSid);
}

/* The rights the DACL grants to anyone but the trusted: allow entries that apply to the
   object itself (not inherit-only). Deny entries are ignored, which can only refuse more. */
static ACCESS_MASK others_mask(ACL *dacl, PSID owner)
{
	ACL_SIZE_INFORMATION info;
	ACCESS_MASK m = 0;

	if (!dacl)  /* a NULL DACL lets everyone do everything */
		return ~(ACCESS_MASK)0;
	if (!GetAclInformation(dacl, &info, sizeof(info), AclSizeInformation))
		return ~(ACCESS_MASK)0;
	for (DWORD i = 0; i < info.AceCount; i++) {
		ACCESS_ALLOWED_ACE *ace;

		if (!GetAce(dacl, i, (void **)&ace))
			return ~(ACCESS_MASK)0;
		if ((ace->Header.AceType != ACCESS_ALLOWED_ACE_TYPE &&
		     ace->Header.AceType != ACCESS_ALLOWED_CALLBACK_ACE_TYPE) ||
		    (ace->Header.AceFlags & INHERIT_ONLY_ACE) ||
		    trusted((PSID)&ace->SidStart, owner))
			continue;
		m |= ace->Mask;
	}
	return m;
}

void os_win_sd_rights(PSECURITY_DESCRIPTOR sd, struct os_win_rights *r)
{
	PSID owner = NULL, me = user_sid();
	BOOL present = FALSE, defaulted = FALSE;
	ACL *dacl = NULL;

	if (!GetSecurityDescriptorOwner(sd, &owner, &defaulted))
		owner = NULL;
	if (!GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) || !present)
		dacl = NULL;
	r->owner_is_me = owner && me && EqualSid(owner, me);
	r->owner_is_admin = os_win_admin_sid(owner) || (r->owner_is_me && os_privileged());
	r->others = owner ? others_mask(dacl, owner) : ~(ACCESS_MASK)0;
}

int os_win_acl_rights(HANDLE h, struct os_win_rights *r)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	DWORD err;

	err = GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION |
			      DACL_SECURITY_INFORMATION, NULL, NULL, NULL, NULL, &sd);
	if (err != ERROR_SUCCESS)
		return os_win_errno(err);
	os_win_sd_rights(sd, r);
	LocalFree(sd);
	return 0;
}

const char *os_win_rights_refusal(const struct os_win_rights *r, bool last)
{
	if (!r->owner_is_admin && !r->owner_is_me)
		return "owned by someone other than SYSTEM, Administrators or TrustedInstaller";
	if (last && (r->others & OS_WIN_WRITE_RIGHTS))
		return "writable by users other than SYSTEM and Administrators";
	if (r->others & OS_WIN_REPLACE_RIGHTS)
		return "users other than SYSTEM and Administrators may delete or rename what is "
		       "in it, or change its permissions";
	return NULL;
}

int os_win_acl_facts(HANDLE h, struct os_stat *st)
{
	struct os_win_rights r;
	int ret = os_win_acl_rights(h, &r);

	if (ret < 0)
		return ret;
	st->owner = r.owner_is_admin ? 0 : 1;
	st->owner_is_us = r.owner_is_me || (r.owner_is_admin && os_privileged());
	st->others_write = (r.others & OS_WIN_WRITE_RIGHTS) != 0;
	st->others_read = (r.others & OS_WIN_READ_RIGHTS) != 0;
	st->mode = (st->type == OS_TYPE_DIR ? 0700 : 0600) | (st->others_read ? 044 : 0) |
		   (st->others_write ? 022 : 0);
	return 0;
}
