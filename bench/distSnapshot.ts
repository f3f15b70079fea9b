/**
 * A private copy of dist/ for one benchmark run: other work on the same checkout (a test run,
 * `npm run build`) deletes and rewrites dist/, which would pull the bundles out from under a
 * 20-minute benchmark. The copy sits inside the repository (bench/.run/dist, git-ignored by the
 * `dist/` rule) so the bundles still resolve node_modules, optional native tfjs included.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './children';

export function snapshotDist(): string {
  const source = join(ROOT, 'dist');
  if (!existsSync(join(source, 'cli.js')) || !existsSync(join(source, 'server.js'))) {
    throw new Error(`${source} has no cli.js/server.js: run \`npm run build\` first (npm run bench does).`);
  }
  const target = join(ROOT, 'bench', '.run', `dist-${process.pid}`, 'dist');
  cpSync(source, target, { recursive: true });
  return target;
}

export function removeSnapshot(dist: string): void {
  rmSync(join(dist, '..'), { recursive: true, force: true });
}
