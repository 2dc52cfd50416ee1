/* mm/policy/queue.c: the load-order queue of frames (see queue.h). Each operation is
 * O(1) except the searches, which walk from the oldest frame to the newest. */
#include "mm/policy/queue.h"

void polq_init(struct pol_queue *q)
{
    q->head = q->tail = POL_NONE;
}

void polq_append(struct pol_queue *q, uint32_t frame)
{
    struct pol_data *d = pol_data(frame);
    d->next = POL_NONE;
    d->prev = q->tail;
    if (q->tail == POL_NONE)
        q->head = frame;
    else
        pol_data(q->tail)->next = frame;
    q->tail = frame;
}

void polq_remove(struct pol_queue *q, uint32_t frame)
{
    struct pol_data *d = pol_data(frame);
    if (d->prev == POL_NONE)
        q->head = d->next;
    else
        pol_data(d->prev)->next = d->next;
    if (d->next == POL_NONE)
        q->tail = d->prev;
    else
        pol_data(d->next)->prev = d->prev;
    d->next = d->prev = POL_NONE;
}

uint32_t polq_next(uint32_t frame)
{
    return pol_data(frame)->next;
}

uint32_t polq_first_eligible(const struct pol_queue *q, pol_eligible_fn eligible, void *ctx)
{
    for (uint32_t f = q->head; f != POL_NONE; f = polq_next(f))
        if (eligible(f, ctx))
            return f;
    return POL_NONE;
}

uint32_t polq_min(const struct pol_queue *q, polq_key_fn key, pol_eligible_fn eligible, void *ctx)
{
    uint32_t best = POL_NONE, best_key = 0;
    for (uint32_t f = q->head; f != POL_NONE; f = polq_next(f)) {
        if (!eligible(f, ctx))
            continue;
        uint32_t k = key(f);
        if (best == POL_NONE || k < best_key) {    /* strictly smaller: the older one keeps a tie */
            best = f;
            best_key = k;
        }
    }
    return best;
}

struct pol_queue load_order;

void load_order_init(uint32_t nframes)
{
    (void)nframes;
    polq_init(&load_order);
}

void load_order_loaded(uint32_t frame)
{
    polq_append(&load_order, frame);
}

void load_order_removed(uint32_t frame)
{
    polq_remove(&load_order, frame);
}
