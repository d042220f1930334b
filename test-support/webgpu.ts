// Shared by the packages' webgpu tests: they run on a real GPU when one exists, else on
// SwiftShader (Debian's chromium package, which scripts/ensure-chromium.mjs installs). Without
// either they skip with the reason, and fail when CI is set, like the report's browser check.
// It takes @sparling/backend's useSwiftShaderWithoutGpu as an argument, because this folder is in
// no package and cannot resolve the workspace's packages itself.
type Probe<A> = { available: true; adapter: A } | { available: false; reason: string };

/** The adapter the webgpu tests run on, or the reason they skip. */
export async function webgpuForTests<A>(prepare: () => Promise<Probe<A>>): Promise<{ adapter: A; skip: null } | { adapter: null; skip: string }> {
  const probe = await prepare();
  if (probe.available) return { adapter: probe.adapter, skip: null };
  const reason = `no WebGPU adapter: ${probe.reason}; run node scripts/ensure-chromium.mjs as root`;
  if (process.env['CI']) throw new Error(`CI is set, so the webgpu tests must run: ${reason}`);
  console.warn(`skipping the webgpu tests: ${reason}`);
  return { adapter: null, skip: reason };
}
