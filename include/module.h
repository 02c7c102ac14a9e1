/* SPDX-License-Identifier: MIT */
/*
 * Optional parts of amtact built as shared modules (the HTTPS transport, OpenSSL's
 * libcrypto for sealing and certificate chains, the USB library): a command that needs one
 * loads it; the others start without its libraries. Each module exports one versioned
 * symbol. module_load is POSIX only: the Windows build links its modules in.
 */
#ifndef AMTACT_MODULE_H
#define AMTACT_MODULE_H

#include <stddef.h>

/*
 * Load module file `file` ("amtact-usb.so") and return its symbol `symbol` in *sym. Looked
 * for next to the executable, in ../lib/amtact from it, then in the install folder
 * (PKGLIBDIR); the first one found is the one used, and it is refused when anyone but root
 * or the caller can change it or a folder above it. `fits` (may be NULL) says whether the
 * symbol belongs to this build (ABI number, struct sizes). `what` names the module in
 * messages ("HTTPS module"). Returns 0, -ENOENT (missing), -EACCES/-EPERM (not trusted)
 * or -ELIBBAD (cannot be loaded, another version); err then says why and where looked.
 */
int module_load(const char *file, const char *what, const char *symbol,
		int (*fits)(const void *sym), const void **sym, char *err, size_t errcap);

/*
 * The crypto module, amtact-crypto.so (sealing: include/seal.h; certificate chains:
 * include/certcheck.h), is loaded by the first call that needs it. When it could not be
 * loaded those calls return module_load's error and this says why; otherwise (and always
 * where it is linked in) NULL. Defined on every system.
 */
const char *crypto_module_error(void);

#endif
