/* kernel/string.h: the handful of <string.h> functions the kernel uses.
 * Also compiled into host unit tests, where the C library provides them. */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n);
/* Fill by 32-bit words (zero pages, poison): inline, as it sits on every fault and free.
 * Under QEMU -icount each iteration of a rep counts as one instruction: a page by words
 * costs 1,024, by bytes 4,096. */
static inline void memset32(void *dst, uint32_t value, size_t words)
{
    __asm__ volatile("cld; rep stosl" : "+D"(dst), "+c"(words) : "a"(value) : "memory");
}
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
