"""tests/tap.py: TAP output for the Python tests, as tools/runtests.py reads it: one
"ok N name" or "not ok N name" line a check, "# FAIL name: why" under a failure."""


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, passed, name, why=""):
        """Reports one check; returns passed, so that callers can skip what depends on it."""
        self.count += 1
        print("%s %d %s" % ("ok" if passed else "not ok", self.count, name), flush=True)
        if not passed:
            self.failed += 1
            print("# FAIL %s: %s" % (name, str(why).rstrip("\n").replace("\n", "\n#   ")),
                  flush=True)
        return bool(passed)

    def finish(self):
        """Prints the plan; the exit status: 0 only if every check passed."""
        print("1..%d" % self.count, flush=True)
        return 1 if self.failed or not self.count else 0
