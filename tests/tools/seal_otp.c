// SPDX-License-Identifier: MIT
/* Test helper: seal the OTP read from stdin to a certificate (seal.h) and print the PEM. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal.h"
#include "secret.h"

int main(int argc, char **argv)
{
	struct secret otp;
	char *pem = NULL;
	size_t pem_len = 0;
	int ret;

	if (argc != 2) {
		fputs("usage: seal_otp CERT.pem < otp\n", stderr);
		return 2;
	}
	ret = secret_read_file(&otp, "-", NULL);
	if (ret == 0)
		ret = seal_to_cert_file(argv[1], otp.buf, otp.len, &pem, &pem_len);
	secret_wipe(&otp);
	if (ret < 0) {
		fprintf(stderr, "seal_otp: %s\n", strerror(-ret));
		return 1;
	}
	fwrite(pem, 1, pem_len, stdout);
	free(pem);
	return fflush(stdout) == 0 ? 0 : 1;
}
