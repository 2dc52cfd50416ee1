/* mm/workingset.h: the working-set model and thrashing control (vm.ws=1), sampled
 * from the timer path in process context. */
#ifndef MM_WORKINGSET_H
#define MM_WORKINGSET_H

struct proc;
struct mm;

void workingset_init(void);          /* vm.ws, vm.wsdelta */
void workingset_sample(void);        /* measure working sets; suspend or resume */
void workingset_forget(struct mm *mm);    /* its process is dying: no suspension */
void workingset_prepage(struct proc *p);  /* p was resumed: bring its working set in */
/* On the way back to user mode: stop while suspended, then prepage on resume. */
void workingset_stop_if_asked(struct proc *p);

#endif
