/* mm/policy/queue.h: a queue of frames in the order their pages were loaded, threaded
 * through the pol_data links, for the policies that break ties "first in, first out". */
#ifndef MM_POLICY_QUEUE_H
#define MM_POLICY_QUEUE_H

#include "mm/policy/policy.h"

struct pol_queue {
    uint32_t head, tail;         /* oldest and newest frame; POL_NONE when empty */
};

void polq_init(struct pol_queue *q);
void polq_append(struct pol_queue *q, uint32_t frame);     /* becomes the newest */
void polq_remove(struct pol_queue *q, uint32_t frame);     /* anywhere in the queue */
uint32_t polq_next(uint32_t frame);                        /* the next newer, or POL_NONE */

/* The oldest frame that eligible() accepts; POL_NONE if none does. */
uint32_t polq_first_eligible(const struct pol_queue *q, pol_eligible_fn eligible, void *ctx);

/* The eligible frame with the smallest key(frame), the oldest among equals. */
typedef uint32_t (*polq_key_fn)(uint32_t frame);
uint32_t polq_min(const struct pol_queue *q, polq_key_fn key, pol_eligible_fn eligible, void *ctx);

/* The resident frames in load order, for the policies that keep such a queue: these
 * three fit struct vm_policy's init, loaded and removed. One queue serves them all
 * because only one policy is active at a time, and init empties it. */
extern struct pol_queue load_order;
void load_order_init(uint32_t nframes);
void load_order_loaded(uint32_t frame);
void load_order_removed(uint32_t frame);

#endif
