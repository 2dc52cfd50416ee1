/* user/true.c: exits with status 0 and does nothing else: the smallest program to
 * exec (the exec benchmark uses it) and the shell's `true`. */
int main(void)
{
    return 0;
}
