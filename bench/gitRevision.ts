/** Which engine a measurement ran: the commit, and whether server/models or server/training had uncommitted edits. */
import { execFileSync } from 'node:child_process';

export function engineRevision(cwd: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server/models', 'server/training', 'server/inference'], { cwd, encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' + uncommitted engine changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
