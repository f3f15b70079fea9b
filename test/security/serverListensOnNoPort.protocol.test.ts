/**
 * The training server talks over stdio/IPC only: after initialize and a request, its process
 * owns no listening TCP or UDP socket (checked in /proc, Linux).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { startServer } from '../helpers/serverProcess';
import { ModelList } from '../../server/protocol';

function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1] !== undefined) out.add(m[1]);
    } catch {
      // fd closed meanwhile
    }
  }
  return out;
}

function listeningInodes(): Set<string> {
  const out = new Set<string>();
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const path = `/proc/net/${table}`;
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // st 0A = LISTEN for TCP; any bound UDP socket counts as listening
      if (cols.length > 9 && (table.startsWith('udp') || cols[3] === '0A')) out.add(cols[9] as string);
    }
  }
  return out;
}

test('the server process has no listening network socket', { skip: process.platform !== 'linux' ? 'needs /proc (Linux)' : false }, async () => {
  const server = await startServer();
  try {
    await server.connection.sendRequest(ModelList.type, { workspaceRoots: [], modelPaths: [], runsDir: '/nonexistent' });
    const pid = server.process.pid as number;
    const listening = listeningInodes();
    const mine = [...socketInodes(pid)].filter((i) => listening.has(i));
    assert.deepEqual(mine, []);
  } finally {
    await server.stop();
  }
});
