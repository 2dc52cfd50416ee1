"""tools/gradeout.py: a grader's results, for people and for a course's autograder, shared by
tools/grade.py (the replacement-policy lab) and tools/labgrade.py (the other labs).

A result is a dict: name, score, max_score (0: shown, not scored), passed, detail and
seconds. Gradescope reads results.json (its autograder's format: a score and a test a
check); CI servers read JUnit XML (a test case a check, a failure where it failed).
"""
import json
import xml.etree.ElementTree as ET


def gradeout_total(results):
    return sum(r["score"] for r in results), sum(r["max_score"] for r in results)


def gradeout_table(title, results):
    """The table a person reads: each check's points and what it found, then the score."""
    print(title)
    for r in results:
        print("  %6s  %-28s %s" % ("%d/%d" % (r["score"], r["max_score"]) if r["max_score"]
                                   else "info", r["name"], r["detail"]))
    print("score %d/%d" % gradeout_total(results))


def gradeout_tap(results):
    print("TAP version 13\n1..%d" % len(results))
    for i, r in enumerate(results, 1):
        print("%s %d %s # %s" % ("ok" if r["passed"] else "not ok", i, r["name"], r["detail"]))


def gradeout_gradescope(path, output, results):
    """Gradescope's autograder results (results.json): the score, and a test a check."""
    doc = {"score": gradeout_total(results)[0],
           "execution_time": round(sum(r["seconds"] for r in results), 1),
           "output": output,
           "tests": [{"name": r["name"], "number": str(i), "score": r["score"],
                      "max_score": r["max_score"], "status": "passed" if r["passed"] else "failed",
                      "output": r["detail"], "visibility": "visible"}
                     for i, r in enumerate(results, 1)]}
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def gradeout_junit(path, suite_name, results):
    """JUnit XML, as CI servers read it: a test case a check, a failure where it failed."""
    suite = ET.Element("testsuite", name=suite_name, tests=str(len(results)),
                       failures=str(sum(not r["passed"] for r in results)), errors="0",
                       time="%.3f" % sum(r["seconds"] for r in results))
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=suite_name, name=r["name"],
                             time="%.3f" % r["seconds"])
        points = "%d/%d points: %s" % (r["score"], r["max_score"], r["detail"])
        if r["passed"]:
            ET.SubElement(case, "system-out").text = points
        else:
            ET.SubElement(case, "failure", message=r["detail"]).text = points
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
