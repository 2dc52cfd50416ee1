/* user/random.c: prints the random bytes the kernel gives a program: the 16 at AT_RANDOM
 * and 16 from getrandom. With vm.seed=N two boots print the same (tests/trace/). */
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/random.h>

static void print_hex(const char *what, const uint8_t *bytes, int n)
{
    printf("%s", what);
    for (int i = 0; i < n; i++)
        printf("%02x", bytes[i]);
    printf("\n");
}

int main(void)
{
    uint8_t buf[16];
    if (getrandom(buf, sizeof(buf), 0) != sizeof(buf)) {
        perror("random: getrandom");
        return 1;
    }
    print_hex("AT_RANDOM ", (const uint8_t *)getauxval(AT_RANDOM), 16);
    print_hex("getrandom ", buf, sizeof(buf));
    return 0;
}
