/* drivers/pic.h: the two cascaded 8259A interrupt controllers, remapped so that
 * IRQ 0-15 arrive as vectors 32-47 instead of colliding with CPU exceptions. */
#ifndef DRIVERS_PIC_H
#define DRIVERS_PIC_H

void pic_init(void);
void pic_enable(int irq);
void pic_disable(int irq);
void pic_eoi(int irq);
int pic_pending(int irq);          /* requested while masked, not yet taken */

#endif
