// Checks every pending changeset before the tests: each must name packages of this workspace
// with a bump of major, minor or patch, and say something. `changeset version` rejects a
// changeset naming an unknown package only at release time (it once named "@sparling/cli", whose
// package is "sparling"); this catches it at the commit that adds it. Needs no git history.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packages = new Set(
  ['packages', 'examples'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => JSON.parse(readFileSync(join(root, group, d.name, 'package.json'), 'utf8')).name),
  ),
);

const problems = [];
const files = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
for (const file of files) {
  const text = readFileSync(join(root, '.changeset', file), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) {
    problems.push(`${file}: expected a front matter block between two "---" lines, then the summary`);
    continue;
  }
  const [, front, summary] = match;
  for (const line of front.split('\n').filter((l) => l.trim() !== '')) {
    const entry = /^\s*(["'])(.+)\1\s*:\s*(\S+)\s*$/.exec(line);
    if (!entry) problems.push(`${file}: cannot read ${JSON.stringify(line)}; expected "package": major|minor|patch`);
    else if (!packages.has(entry[2])) problems.push(`${file}: package ${JSON.stringify(entry[2])} is not in the workspace; expected one of ${[...packages].sort().join(', ')}`);
    else if (!['major', 'minor', 'patch'].includes(entry[3])) problems.push(`${file}: bump ${JSON.stringify(entry[3])} for ${entry[2]}; expected major, minor or patch`);
  }
  if (summary.trim() === '') problems.push(`${file}: the summary after the front matter is empty`);
}

if (problems.length > 0) {
  console.error(`check-changesets: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-changesets: ${files.length} changesets name workspace packages`);
