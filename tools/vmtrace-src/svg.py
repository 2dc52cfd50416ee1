"""tools/vmtrace-src/svg.py: just enough SVG for vmtrace's pictures, written by hand (no
plotting library needed): a document of elements, round axis ticks, the colours used.
"""
from xml.sax.saxutils import escape, quoteattr

# One colour per process, in the order processes appear; then the event kinds.
PROCESS_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                   "#e377c2", "#bcbd22", "#17becf", "#7f7f7f"]
KIND_COLOURS = {"zero_fill": "#2ca02c", "file_fill": "#1f77b4", "swap_in": "#9467bd",
                "cow_copy": "#ff7f0e", "cow_reuse": "#e0b000", "segv": "#d62728",
                "swap_out": "#8c564b", "writeback_avoided": "#e377c2", "clean_drop": "#7f7f7f"}
SHARED = "#404040"      # a frame mapped by several processes
FREE = "#ffffff"


def process_colours(pids):
    """{pid: colour}, the same in every picture of a trace (pids in order of appearance)."""
    return {pid: PROCESS_COLOURS[i % len(PROCESS_COLOURS)] for i, pid in enumerate(pids)}


class Document:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.parts = []

    def add(self, tag, text=None, **attrs):
        """<tag attr="..."/>; attribute names use _ for - (stroke_width)."""
        attributes = "".join(" %s=%s" % (k.rstrip("_").replace("_", "-"), quoteattr(str(v)))
                             for k, v in attrs.items())
        if text is None:
            self.parts.append("<%s%s/>" % (tag, attributes))
        else:
            self.parts.append("<%s%s>%s</%s>" % (tag, attributes, escape(str(text)), tag))

    def text(self, x, y, text, **attrs):
        self.add("text", text, x=round(x, 1), y=round(y, 1), **attrs)

    def swatch(self, x, y, fill, label):
        """A legend entry: a small square of colour, its label to the right."""
        self.add("rect", x=x, y=y - 9, width=10, height=10, fill=fill, stroke="#bbb")
        self.text(x + 14, y, label)

    def write(self, path):
        with open(path, "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
                    'font-family="sans-serif" font-size="11">\n' % (self.width, self.height))
            f.write("\n".join(self.parts))
            f.write("\n</svg>\n")


def ticks(low, high, most=8):
    """Round whole numbers from low to high, 1, 2 or 5 times a power of ten apart, at most
    `most` + 1 of them."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if (high - low) // step <= most:
                return list(range(-(-low // step) * step, high + 1, step))
        power *= 10
