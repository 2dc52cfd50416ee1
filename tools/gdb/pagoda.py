"""tools/gdb/pagoda.py: loads the pagoda-* helpers into gdb (`source tools/gdb/pagoda.py`,
which the generated .gdbinit does) and adds pagoda-help, which lists them.
"""
import os
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fault  # noqa: E402  (each module registers its command when imported)
import frames  # noqa: E402
import procs  # noqa: E402
import pt  # noqa: E402
import swap  # noqa: E402
import vmas  # noqa: E402

HELPERS = [pt.PagodaPt, vmas.PagodaVmas, frames.PagodaFrames, procs.PagodaProcs,
           swap.PagodaSwap, fault.PagodaFault]


class PagodaHelp(gdb.Command):
    """pagoda-help: the pagoda-* helpers and what each shows."""

    def __init__(self):
        super().__init__("pagoda-help", gdb.COMMAND_SUPPORT)

    def invoke(self, arg, from_tty):
        print("\n\n".join(helper.__doc__ for helper in HELPERS))


PagodaHelp()
