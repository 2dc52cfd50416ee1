/* mm/shmem.h: shared memory: the objects behind MAP_SHARED|MAP_ANONYMOUS (a page cache
 * object without a file, its pages going to swap under pressure), and the region
 * operations of every shared mapping, anonymous or of a file (struct vma_ops). */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

struct shmem;
struct pcache;

struct shmem *shmem_create(void);          /* one reference; NULL if out of memory */
void shmem_dup(struct shmem *s);           /* fork and split: one more region maps it */
void shmem_put(struct shmem *s);           /* the last reference frees its pages */
struct pcache *shmem_object(struct shmem *s);

#endif
