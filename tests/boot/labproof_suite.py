"""tests/boot/labproof_suite.py: CI's proof of the labs (docs/labs/README.md): an entry per
tests/lab/labs/*.json, each running tests/lab/test_labs.py LAB, which makes the student's
tree, builds it and boots the lab's tests there. They are boot-test entries, not host
tests, so that runtests' jobs run them beside the other boots and no more QEMUs run at
once than --jobs says. (runtests --labs checks the complete tree's full marks.)
"""
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LABS = sorted(os.path.basename(p)[:-len(".json")]
              for p in glob.glob(os.path.join(ROOT, "tests", "lab", "labs", "*.json")))

TESTS = [{"name": "labproof-" + lab, "timeout": 900,
          "program": [sys.executable, os.path.join(ROOT, "tests", "lab", "test_labs.py"), lab]}
         for lab in LABS]
