// Makes sure the browser check of `sparling report` (packages/cli/test/report.test.ts) has its
// Chromium at /usr/bin/chromium. Run by the root `test` script before Vitest: as root on a
// Debian-like system it installs the distribution's package; anywhere else it says what is
// missing. It never fails the test run itself: without Chromium the browser test skips with
// the reason, or fails when CI is set.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const APT = '/usr/bin/apt-get';
const say = (text) => console.log(`ensure-chromium: ${text}`);

function run(args) {
  say(`running ${args.join(' ')}`);
  const result = spawnSync(args[0], args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

if (existsSync(CHROMIUM)) {
  say(`${CHROMIUM} is present; the report's browser check will run`);
} else if (process.getuid?.() === 0 && existsSync(APT)) {
  say(`no ${CHROMIUM}; installing Debian's chromium package for the report's browser check`);
  const install = [APT, 'install', '-y', '--no-install-recommends', 'chromium'];
  // An empty or stale package index is the usual reason the first attempt fails.
  const ok = run(install) || (run([APT, 'update']) && run(install));
  say(ok && existsSync(CHROMIUM) ? `installed ${CHROMIUM}` : `could not install chromium; the report's browser check will be skipped (and fail when CI is set)`);
} else {
  say(
    `no ${CHROMIUM}, and installing it needs root and apt-get; the report's browser check will be skipped ` +
      `(and fail when CI is set). Install it with: sudo apt-get install --no-install-recommends chromium`,
  );
}
