// A silent vitest reporter: writes the run's counts to the file named by PICCO_TEST_SUMMARY for
// run-tests.mjs, which prints the summary line. (vitest's JSON reporter announces its file on
// stdout, just above the line CI reads.)
import { writeFileSync } from 'node:fs';

export default class SummaryReporter {
  onTestRunEnd(testModules, unhandledErrors, reason) {
    let passed = 0;
    let failed = 0;
    let brokenModules = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
      }
      // A file that failed to load or to finish (a syntax error, an error thrown outside tests).
      if (testModule.state() === 'failed' && [...testModule.children.allTests('failed')].length === 0) brokenModules++;
    }
    writeFileSync(process.env.PICCO_TEST_SUMMARY, JSON.stringify({ passed, failed, brokenModules, unhandledErrors: unhandledErrors.length, reason }));
  }
}
