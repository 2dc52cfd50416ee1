"""tools/gdb/fault.py: pagoda-fault [PID|NAME] [ADDR]: a breakpoint on the page-fault
handler's decision point, fault_resolve (mm/fault.c). Each stop prints CR2 and the error code
decoded, the region the address is in, its PTE, and what fault_resolve is about to do: the same
checks in the same order, read from the kernel's state before it acts.
"""
import gdb
import kmem
import pt
import swap
import vmas

PFERR_P, PFERR_W, PFERR_U = 0x1, 0x2, 0x4      # mm/mmu.h
USER_TOP = STACK_TOP = 0xC0000000             # mm/memlayout.h


def page(addr):
    return addr & ~(kmem.PGSIZE - 1)


def error_text(err):
    return ", ".join(["protection violation" if err & PFERR_P else "not present",
                      "write" if err & PFERR_W else "read",
                      "user" if err & PFERR_U else "kernel"])


def refuse(err, why):
    if err & PFERR_U:
        return "SIGSEGV: %s; the process is killed" % why
    return "-EFAULT: %s; copyin/copyout fail the system call (anywhere else: panic)" % why


def stack_growth(mm, addr):
    """(stack region, "") if stack_grow would extend the stack down to addr, else
    (None, why not): the same tests as stack_grow in mm/fault.c."""
    below = None
    for v in vmas.regions(mm):
        if int(v["end"]) > addr:
            break
        below = v
    else:
        return None, "no region holds the address"
    if not int(v["flags"]) & vmas.VMA_GROWSDOWN or addr >= int(v["start"]):
        return None, "no region holds the address"
    if STACK_TOP - page(addr) > int(mm["stack_limit"]):
        return None, "below the stack's size limit (stack overflow)"
    if below is not None and int(below["end"]) > page(addr) - kmem.PGSIZE:
        return None, "the stack would leave no guard page above the region below"
    return v, ""


def present_fault(pte, err):
    if not err & PFERR_W:
        return "nothing: the page is present already (another fault brought it in)"
    pfn = pte >> kmem.PGSHIFT
    refs = int(kmem.value("frames")[pfn]["refs"])
    if refs > 1:
        return "copy-on-write copy: frame %d is shared by %d mappings; copy it" % (pfn, refs)
    return "copy-on-write reuse: frame %d is mapped here only; make it writable" % pfn


def absent_fault(v, va, pte):
    if pte:
        slot = pte >> pt.SWP_OFFSET_SHIFT
        cached = swap.slot_frame(slot)
        if cached:
            return "swap-in of slot %d: still in the swap cache (frame %d), no disk read" % (
                slot, cached)
        return "swap-in of slot %d: read it from the disk into a new frame" % slot
    if not int(v["flags"]) & vmas.VMA_FILE:
        return "zero fill: a new frame of zeros"
    off = va - int(v["start"])
    if off >= int(v["file_bytes"]):
        return "file fill: zeros, the page is past the file's bytes (bss)"
    return "file fill: read inode %d at offset %#x" % (int(v["file"]["ino"]),
                                                       int(v["file_off"]) + off)


def plan(mm, addr, err):
    """(region or None, its PTE or None, what fault_resolve will do), in fault_resolve's order."""
    if addr >= USER_TOP:
        return None, None, refuse(err, "a kernel address")
    v = vmas.find(mm, addr)
    grows = ""
    if v is None:
        v, why = stack_growth(mm, addr)
        if v is None:
            return None, None, refuse(err, why)
        grows = "stack growth down to %#010x, then " % page(addr)
    prot = int(v["prot"])
    if not prot & vmas.VM_READ:
        return v, None, refuse(err, "the region allows no access")
    if err & PFERR_W and not prot & vmas.VM_WRITE:
        return v, None, refuse(err, "a write to a read-only region")
    pte = pt.walk(int(mm["pgdir"]), page(addr))[1] or 0
    if pte & pt.PTE_P:
        return v, pte, grows + present_fault(pte, err)
    return v, pte, grows + absent_fault(v, page(addr), pte)


def where(p, err):
    """The faulting instruction of a user fault, with its symbol if gdb knows it."""
    if not err & PFERR_U:
        return "in the kernel"
    ip = int(p["tf"]["eip"])
    as_code = str(kmem.value("(void (*)(void)) %d" % ip))    # "... 0x80496db <main+363>"
    return "at ip %#010x" % ip + (" " + as_code[as_code.index("<"):] if "<" in as_code else "")


def report(p, addr, err):
    try:
        cr2 = "cr2 %#010x" % (int(kmem.value("$cr2")) & 0xFFFFFFFF)
    except gdb.error:
        cr2 = "address %#010x (CR2 unreadable)" % addr
    mm = kmem.mm_of(p)
    v, pte, action = plan(mm, addr, err)
    print("pagoda-fault: %s %s: %s, error %#x (%s)" % (kmem.describe(p), where(p, err), cr2, err,
                                                      error_text(err)))
    print("  region: %s" % (vmas.describe(v) if v is not None else "none"))
    if pte is not None:
        print("  " + pt.pte_line(addr, pte))
    print("  fault_resolve will: %s" % action)


class FaultBreakpoint(gdb.Breakpoint):
    """Stops in fault_resolve for the chosen process (pid or name) and page, or for every fault."""

    def __init__(self, who, at_page):
        super().__init__("fault_resolve")
        self.who, self.at_page = who, at_page

    def wanted(self, p, addr):
        if self.at_page is not None and page(addr) != self.at_page:
            return False
        return self.who is None or self.who in (str(int(p["pid"])), kmem.proc_name(p))

    def stop(self):
        p = kmem.current_proc()
        addr = int(kmem.value("addr")) & 0xFFFFFFFF
        if p is None or not self.wanted(p, addr):
            return False
        report(p, addr, int(kmem.value("err")))
        return True


breakpoint = None


class PagodaFault(gdb.Command):
    """pagoda-fault [PID|NAME] [ADDR]: stop in the page-fault handler (fault_resolve) for that
process and page (default: every fault), printing CR2, the error code, the region, the
PTE, and what the handler will do. "pagoda-fault off" removes the breakpoint."""

    def __init__(self):
        super().__init__("pagoda-fault", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        global breakpoint
        args = gdb.string_to_argv(arg)
        if breakpoint is not None and breakpoint.is_valid():
            breakpoint.delete()
        breakpoint = None
        if args == ["off"]:
            return
        if len(args) > 2:
            raise gdb.GdbError("usage: pagoda-fault [PID|NAME] [ADDR] | off")
        who = args[0] if args else None
        at_page = page(kmem.number(args[1])) if len(args) > 1 else None
        breakpoint = FaultBreakpoint(who, at_page)


PagodaFault()
