#!/usr/bin/env python3
"""Counts the Java tests in the Surefire / Failsafe XML reports and fails on a skip that has no allowed reason.

A test may skip only for a resource that is legitimately absent, and its skip message must say which, starting with:
  "needs ../shared: "  data outside the repository (Kodak, training photos) is absent
  "needs host: "       a host capability is missing (a non-root user, a tmpfs mount, cjpeg / cwebp on PATH)
Any other skip, an engine failure hidden as an assumption for one, fails the build.

Usage: check-skips.py ROOT [NEWER_THAN_FILE]  (only reports written after NEWER_THAN_FILE are read, so stale
reports of an earlier build in target/ do not count)
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

ALLOWED = ("needs ../shared: ", "needs host: ")
ASSUMPTION = "Assumption failed: "


def skip_reason(skipped):
    """The assumption's message (JUnit puts it in the text as 'Assumption failed: ...'), or the message attribute."""
    text = (skipped.text or "").strip()
    first = text.splitlines()[0] if text else ""
    if ASSUMPTION in first:
        return first.split(ASSUMPTION, 1)[1]
    return skipped.get("message") or first or "(no reason given)"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[1]
    since = os.path.getmtime(argv[2]) if len(argv) > 2 else 0
    reports = sorted(glob.glob(os.path.join(root, "*", "target", "surefire-reports", "TEST-*.xml"))
                     + glob.glob(os.path.join(root, "*", "target", "failsafe-reports", "TEST-*.xml")))
    reports = [r for r in reports if os.path.getmtime(r) >= since]
    total = failed = 0
    allowed, bad = [], []
    for report in reports:
        for case in ET.parse(report).getroot().iter("testcase"):
            total += 1
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            skipped = case.find("skipped")
            if skipped is None:
                continue
            line = "%s.%s: %s" % (case.get("classname"), case.get("name"), skip_reason(skipped))
            (allowed if skip_reason(skipped).startswith(ALLOWED) else bad).append(line)
    print("check-skips: %d Java tests in %d reports, %d failed, %d skipped (%d for an absent resource, %d not)"
          % (total, len(reports), failed, len(allowed) + len(bad), len(allowed), len(bad)))
    for line in allowed:
        print("  skipped: " + line)
    for line in bad:
        print("  SKIPPED WITHOUT AN ALLOWED REASON: " + line)
    if bad:
        print("check-skips: a skip must start with one of %s; anything else is a failure that hid as a skip"
              % ", ".join(repr(a) for a in ALLOWED), file=sys.stderr)
        return 1
    if total == 0:
        print("check-skips: no test reports were written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
