/* user/lib/lz.c: LZ77 with a 4 KiB window (see lz.h). The coding is a sequence of tokens:
 *   0xxxxxxx            a literal run: the next x + 1 bytes (1 to 128) as they are;
 *   1xxxxxxx lo hi      a match: x + 4 bytes (4 to 131) copied from d bytes back, where
 *                       d - 1 = lo | hi << 8 (d from 1 to 4096).
 * A match is never shorter than its three bytes of code plus one, so whatever comes
 * between literal runs costs less than it codes: nothing grows by more than the runs'
 * headers, LZ_BOUND.
 * The coder is greedy: at each position it looks up the last position whose next three
 * bytes hashed the same, and takes the match there if it is one and long enough. */
#include <stdint.h>
#include <string.h>

#include "user/lib/lz.h"

#define WINDOW 4096
#define MIN_MATCH 4
#define MAX_MATCH (127 + MIN_MATCH)
#define MAX_LITERALS 128
#define HASH_BITS 12

static uint32_t hash3(const uint8_t *p)
{
    return ((p[0] << 16 | p[1] << 8 | p[2]) * 2654435761u) >> (32 - HASH_BITS);
}

/* The literals [from, to) as runs of at most 128: the new end of the output. */
static uint8_t *put_literals(uint8_t *out, const uint8_t *from, const uint8_t *to)
{
    while (from < to) {
        size_t n = to - from < MAX_LITERALS ? (size_t)(to - from) : MAX_LITERALS;
        *out++ = (uint8_t)(n - 1);
        memcpy(out, from, n);
        out += n;
        from += n;
    }
    return out;
}

/* How many bytes at cand equal those at p, up to the most a match may have or the end. */
static size_t match_length(const uint8_t *cand, const uint8_t *p, const uint8_t *end)
{
    size_t n = 0;
    while (n < MAX_MATCH && p + n < end && cand[n] == p[n])
        n++;
    return n;
}

size_t lz_compress(const void *src, size_t n, void *dst)
{
    const uint8_t *in = src, *end = in + n, *lit = in, *p = in;
    uint8_t *out = dst;
    int32_t last[1 << HASH_BITS];
    memset(last, 0xff, sizeof(last));   /* -1: no position yet */
    while (p + MIN_MATCH <= end) {
        uint32_t h = hash3(p);
        int32_t c = last[h];
        last[h] = (int32_t)(p - in);
        size_t len = c >= 0 && p - (in + c) <= WINDOW ? match_length(in + c, p, end) : 0;
        if (len < MIN_MATCH) {
            p++;
            continue;
        }
        out = put_literals(out, lit, p);
        uint32_t d = (uint32_t)(p - (in + c)) - 1;
        *out++ = (uint8_t)(0x80 | (len - MIN_MATCH));
        *out++ = (uint8_t)d;
        *out++ = (uint8_t)(d >> 8);
        p += len;
        lit = p;
    }
    return (size_t)(put_literals(out, lit, end) - (uint8_t *)dst);
}

long lz_decompress(const void *src, size_t n, void *dst, size_t cap)
{
    const uint8_t *in = src, *end = in + n;
    uint8_t *out = dst;
    size_t done = 0;
    while (in < end) {
        uint8_t t = *in++;
        if (!(t & 0x80)) {
            size_t len = (size_t)t + 1;
            if ((size_t)(end - in) < len || cap - done < len)
                return -1;
            memcpy(out + done, in, len);
            in += len;
            done += len;
            continue;
        }
        size_t len = (size_t)(t & 0x7f) + MIN_MATCH;
        if (end - in < 2)
            return -1;
        size_t d = ((size_t)in[0] | (size_t)in[1] << 8) + 1;
        in += 2;
        if (d > done || d > WINDOW || cap - done < len)
            return -1;
        for (size_t i = 0; i < len; i++, done++)   /* byte by byte: it may overlap */
            out[done] = out[done - d];
    }
    return (long)done;
}
