"""Tests of scripts/check-skips.py on hand-written Surefire reports (run by scripts/test.sh with unittest)."""
import contextlib
import importlib.util
import io
import os
import pathlib
import tempfile
import time
import unittest

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("check_skips", HERE.parent / "check-skips.py")
check_skips = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_skips)

CASE_OK = '<testcase name="ok" classname="a.B" time="0.1"/>'
CASE_SHARED = ('<testcase name="kodak" classname="a.B"><skipped type="org.opentest4j.TestAbortedException">'
               '<![CDATA[org.opentest4j.TestAbortedException: Assumption failed: needs ../shared: Kodak absent\n'
               '\tat x.y(Z.java:1)]]></skipped></testcase>')
CASE_ENGINE = ('<testcase name="e2e" classname="a.B"><skipped type="org.opentest4j.TestAbortedException">'
               '<![CDATA[org.opentest4j.TestAbortedException: Assumption failed: engine not usable yet: boom\n'
               ']]></skipped></testcase>')
CASE_DISABLED = '<testcase name="off" classname="a.B"><skipped message="@Disabled for now"/></testcase>'
CASE_FAILED = '<testcase name="bad" classname="a.B"><failure message="x"/></testcase>'


class CheckSkipsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def report(self, module, kind, name, *cases):
        d = self.root / module / "target" / kind
        d.mkdir(parents=True, exist_ok=True)
        p = d / ("TEST-%s.xml" % name)
        p.write_text('<?xml version="1.0"?><testsuite name="%s">%s</testsuite>' % (name, "".join(cases)))
        return p

    def run_check(self, *extra):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            rc = check_skips.main(["check-skips.py", str(self.root), *extra])
        return rc, out.getvalue()

    def test_a_skip_for_shared_data_passes_and_is_counted(self):
        self.report("m1", "surefire-reports", "a.B", CASE_OK, CASE_SHARED)
        self.report("m2", "failsafe-reports", "c.D", CASE_OK)
        rc, out = self.run_check()
        self.assertEqual(0, rc, out)
        self.assertIn("3 Java tests in 2 reports, 0 failed, 1 skipped (1 for an absent resource, 0 not)", out)
        self.assertIn("a.B.kodak: needs ../shared: Kodak absent", out)

    def test_an_engine_failure_hidden_as_a_skip_fails(self):
        self.report("m1", "surefire-reports", "a.B", CASE_SHARED, CASE_ENGINE)
        rc, out = self.run_check()
        self.assertEqual(1, rc, out)
        self.assertIn("SKIPPED WITHOUT AN ALLOWED REASON: a.B.e2e: engine not usable yet: boom", out)

    def test_a_disabled_test_reads_its_message_attribute_and_fails(self):
        self.report("m1", "surefire-reports", "a.B", CASE_DISABLED)
        rc, out = self.run_check()
        self.assertEqual(1, rc, out)
        self.assertIn("a.B.off: @Disabled for now", out)

    def test_failures_are_counted(self):
        self.report("m1", "surefire-reports", "a.B", CASE_OK, CASE_FAILED)
        rc, out = self.run_check()
        self.assertEqual(0, rc, out)  # failing the build on failures is Maven's job; the count is reported
        self.assertIn("2 Java tests in 1 reports, 1 failed", out)

    def test_reports_older_than_the_marker_are_ignored(self):
        stale = self.report("m1", "surefire-reports", "old.Stale", CASE_ENGINE)
        past = time.time() - 100
        os.utime(stale, (past, past))
        marker = self.root / "started"
        marker.write_text("")
        self.report("m1", "surefire-reports", "a.B", CASE_OK)
        rc, out = self.run_check(str(marker))
        self.assertEqual(0, rc, out)
        self.assertIn("1 Java tests in 1 reports", out)

    def test_no_reports_is_a_failure(self):
        rc, out = self.run_check()
        self.assertEqual(1, rc, out)
        self.assertIn("no test reports were written", out)


if __name__ == "__main__":
    unittest.main()
