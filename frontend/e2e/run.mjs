#!/usr/bin/env node
// Runs the end-to-end specs (e2e/specs/*.e2e.ts) one after the other with Node's test runner.
// Needs a running Evently server at E2E_BASE_URL (default http://127.0.0.1:8765) serving the
// built app at /app/, and an admin account in E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD.
// Use e2e/run-e2e.sh to start a throwaway server and run everything.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const specs = readdirSync(join(here, 'specs'))
  .filter((f) => f.endsWith('.e2e.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
  .map((f) => join(here, 'specs', f));

if (specs.length === 0) {
  console.error('No e2e specs matched.');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...specs], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(result.status ?? 1);
