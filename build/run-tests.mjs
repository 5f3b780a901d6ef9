// Runs every test file under test/ except the Electron e2e tests (npm run test:e2e) with node:test.
// Node 20's --test neither expands globs nor finds .ts files, hence this list.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const files = readdirSync(path.join(root, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts') && !file.startsWith(`e2e${path.sep}`))
  .map((file) => path.join('test', file))
  .sort();
const only = process.argv.slice(2);
const chosen = only.length
  ? files.filter((file) => only.some((part) => file.includes(part)))
  : files;
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...chosen], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
