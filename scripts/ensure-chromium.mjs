// Makes sure the browser check of `sparling report` (packages/cli/test/report.test.ts) has its
// Chromium at /usr/bin/chromium, and that the webgpu tests have a Vulkan adapter: the SwiftShader
// ICD that the chromium package ships, opened through the Vulkan loader (libvulkan1). Run by the root `test` script before Vitest: as root on a
// Debian-like system it installs the distribution's package; anywhere else it says what is
// missing. It never fails the test run itself: without Chromium the browser test skips with
// the reason, or fails when CI is set.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const APT = '/usr/bin/apt-get';
// The Vulkan loader, which Dawn (the webgpu package) opens to reach SwiftShader's ICD.
const VULKAN = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'];
const say = (text) => console.log(`ensure-chromium: ${text}`);

function run(args) {
  say(`running ${args.join(' ')}`);
  const result = spawnSync(args[0], args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

const present = () => existsSync(CHROMIUM) && VULKAN.some((path) => existsSync(path));

if (present()) {
  say(`${CHROMIUM} and libvulkan are present; the report's browser check and the webgpu tests will run`);
} else if (process.getuid?.() === 0 && existsSync(APT)) {
  say(`no ${CHROMIUM} or no libvulkan; installing Debian's chromium and libvulkan1 packages`);
  const install = [APT, 'install', '-y', '--no-install-recommends', 'chromium', 'libvulkan1'];
  // An empty or stale package index is the usual reason the first attempt fails.
  const ok = run(install) || (run([APT, 'update']) && run(install));
  say(ok && present() ? `installed ${CHROMIUM} and libvulkan1` : `could not install them; the browser check and the webgpu tests will be skipped (and fail when CI is set)`);
} else {
  say(
    `no ${CHROMIUM} or no libvulkan, and installing them needs root and apt-get; the report's browser check and ` +
      `the webgpu tests will be skipped (and fail when CI is set). Install them with: ` +
      `sudo apt-get install --no-install-recommends chromium libvulkan1`,
  );
}
