/* user/lib/lz.h: a small LZ77 coder (Ziv and Lempel, 1977) with a 4 KiB window, for the
 * compressing pager (user/pager_zswap.c): a page is coded as literal bytes and matches,
 * "the n bytes found d bytes back". A match may overlap what it copies, so a run of
 * repeated words costs one match. */
#ifndef USER_LIB_LZ_H
#define USER_LIB_LZ_H

#include <stddef.h>

/* The most lz_compress writes for n bytes of input (incompressible input grows a little). */
#define LZ_BOUND(n) ((n) + (n) / 128 + 1)

/* Codes n bytes of src into dst, which has room for LZ_BOUND(n): the coded size. */
size_t lz_compress(const void *src, size_t n, void *dst);

/* Decodes n coded bytes of src into dst, which has room for cap bytes: the decoded size,
 * or -1 if src is no valid coding (a match reaching before the start, output past cap,
 * a token cut short). */
long lz_decompress(const void *src, size_t n, void *dst, size_t cap);

#endif
