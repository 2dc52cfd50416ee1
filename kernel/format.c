/* kernel/format.c: the printf engine behind printk and ksnprintf. It knows
 * nothing about devices: every character goes through the `out` callback. */
#include <stdint.h>
#include <stdbool.h>
#include "kernel/printk.h"
#include "kernel/string.h"

struct spec {
    int width;
    bool zero_pad;
    bool left;
    int longs;       /* 0, 1 (l) or 2 (ll) */
};

static int emit_padded(void (*out)(char, void *), void *arg, const char *s, int len,
                       const struct spec *sp)
{
    int pad = sp->width > len ? sp->width - len : 0;
    int n = 0;
    char padc = sp->zero_pad && !sp->left ? '0' : ' ';
    /* Zero padding goes after a minus sign: -0042, not 00-42. */
    if (padc == '0' && len > 0 && s[0] == '-') {
        out('-', arg), n++, s++, len--;
    }
    for (; !sp->left && pad > 0; pad--, n++)
        out(padc, arg);
    for (int i = 0; i < len; i++, n++)
        out(s[i], arg);
    for (; sp->left && pad > 0; pad--, n++)
        out(' ', arg);
    return n;
}

static int emit_number(void (*out)(char, void *), void *arg, uint64_t v, bool negative,
                       unsigned base, bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int i = sizeof(buf);
    do {
        buf[--i] = digits[v % base];
        v /= base;
    } while (v);
    if (negative)
        buf[--i] = '-';
    return emit_padded(out, arg, buf + i, sizeof(buf) - i, sp);
}

static uint64_t fetch_unsigned(va_list *ap, int longs)
{
    if (longs == 2)
        return va_arg(*ap, unsigned long long);
    if (longs == 1)
        return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static int64_t fetch_signed(va_list *ap, int longs)
{
    if (longs == 2)
        return va_arg(*ap, long long);
    if (longs == 1)
        return va_arg(*ap, long);
    return va_arg(*ap, int);
}

/* Parse flags, width and length of one conversion; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp)
{
    *sp = (struct spec){0};
    for (;; f++) {
        if (*f == '0')
            sp->zero_pad = true;
        else if (*f == '-')
            sp->left = true;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    while (*f == 'l' && sp->longs < 2)
        sp->longs++, f++;
    return f;
}

int kvformat(void (*out)(char, void *), void *arg, const char *fmt, va_list ap)
{
    va_list args;
    va_copy(args, ap);
    int n = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            out(*f, arg), n++;
            continue;
        }
        struct spec sp;
        f = parse_spec(f + 1, &sp);
        switch (*f) {
        case 'd':
        case 'i': {
            int64_t v = fetch_signed(&args, sp.longs);
            n += emit_number(out, arg, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, &sp);
            break;
        }
        case 'u':
            n += emit_number(out, arg, fetch_unsigned(&args, sp.longs), false, 10, false, &sp);
            break;
        case 'x':
        case 'X':
            n += emit_number(out, arg, fetch_unsigned(&args, sp.longs), false, 16, *f == 'X', &sp);
            break;
        case 'p':
            sp.width = 8, sp.zero_pad = true;
            out('0', arg), out('x', arg), n += 2;
            n += emit_number(out, arg, (uintptr_t)va_arg(args, void *), false, 16, false, &sp);
            break;
        case 's': {
            const char *s = va_arg(args, const char *);
            if (!s)
                s = "(null)";
            n += emit_padded(out, arg, s, strlen(s), &sp);
            break;
        }
        case 'c': {
            char c = (char)va_arg(args, int);
            n += emit_padded(out, arg, &c, 1, &sp);
            break;
        }
        case '%':
            out('%', arg), n++;
            break;
        case '\0':
            f--;            /* a lone % at the end: stop */
            break;
        default:            /* unknown conversion: print it as is */
            out('%', arg), out(*f, arg), n += 2;
        }
    }
    va_end(args);
    return n;
}

struct bufout {
    char *buf;
    size_t size, len;
};

static void buf_putc(char c, void *arg)
{
    struct bufout *b = arg;
    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct bufout b = {buf, size, 0};
    va_list ap;
    va_start(ap, fmt);
    int n = kvformat(buf_putc, &b, fmt, ap);
    va_end(ap);
    if (size > 0)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}
