import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain `tests: N passed, N failed` line (and per-project counts), a
 * closing line any CI log reader understands whatever runner produced it.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const perProject = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const mod of testModules) {
      const name = mod.project.name || '(root)';
      const counts = perProject.get(name) ?? { passed: 0, failed: 0, skipped: 0 };
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      // A file that fails to load has no tests but must still count as a failure.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) counts.failed += 1;
      perProject.set(name, counts);
    }
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const lines: string[] = [];
    for (const [name, c] of [...perProject].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
      passed += c.passed;
      failed += c.failed;
      skipped += c.skipped;
    }
    process.stdout.write(`\nper package:\n${lines.join('\n')}\n`);
    process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
