/* mm/page.h: a whole page zeroed or copied, 16 bytes a store (mm/page.asm). Both
 * addresses are the kernel's (P2V) and page-aligned. */
#ifndef MM_PAGE_H
#define MM_PAGE_H

void page_zero(void *page);
void page_copy(void *dst, const void *src);

#endif
