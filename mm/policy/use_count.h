/* mm/policy/use_count.h: the use count of the counting policies (LFU/NFU and MFU): how
 * many ticks found the page referenced. Frames are kept in load order to break ties. */
#ifndef MM_POLICY_USE_COUNT_H
#define MM_POLICY_USE_COUNT_H

#include "mm/policy/queue.h"

void use_count_loaded(uint32_t frame);       /* fits struct vm_policy's loaded: count 0 */
void use_count_tick(void);                   /* fits tick: count the referenced pages */
uint32_t use_count(uint32_t frame);          /* the count, the tick in progress included */

#endif
