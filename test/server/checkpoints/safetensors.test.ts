/** safetensors: F32 round trip, F16/BF16 widening, and validation of broken files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors, readSafetensors } from '../../../server/checkpoints/safetensors';
import { UserError } from '../../../server/errors';

const dir = mkdtempSync(join(tmpdir(), 'tl-st-'));

function fileWith(header: object, data: Buffer, name: string): string {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([len, json, data]));
  return path;
}

test('F32 tensors round-trip bit-exactly, names sorted, data 8-byte aligned', async () => {
  const tensors = new Map([
    ['b.weight', { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 1e-30, -0, 7]) }],
    ['a.bias', { shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) }],
  ]);
  const bytes = encodeSafetensors(tensors);
  assert.equal(Number(bytes.readBigUInt64LE(0)) % 8, 0);
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString()) as Record<string, { data_offsets: number[] }>;
  assert.deepEqual(header['a.bias']?.data_offsets, [0, 12]);
  const path = join(dir, 'rt.safetensors');
  writeFileSync(path, bytes);
  const back = await readSafetensors(path);
  for (const [name, t] of tensors) {
    assert.deepEqual(back.get(name)?.shape, t.shape);
    assert.deepEqual(Array.from(back.get(name)?.data ?? []), Array.from(t.data));
  }
});

test('F16 and BF16 are widened to F32', async () => {
  const f16 = Buffer.alloc(8);
  [0x3c00, 0xc000, 0x3555, 0x7bff].forEach((h, i) => f16.writeUInt16LE(h, i * 2)); // 1, -2, ~0.3333, 65504
  const bf16 = Buffer.alloc(4);
  [0x3f80, 0xc0a0].forEach((h, i) => bf16.writeUInt16LE(h, i * 2)); // 1, -5
  const path = fileWith({ h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] } }, Buffer.concat([f16, bf16]), 'half.safetensors');
  const t = await readSafetensors(path);
  const h = Array.from(t.get('h')?.data ?? []);
  assert.equal(h[0], 1);
  assert.equal(h[1], -2);
  assert.ok(Math.abs((h[2] ?? 0) - 1 / 3) < 1e-3);
  assert.equal(h[3], 65504);
  assert.deepEqual(Array.from(t.get('b')?.data ?? []), [1, -5]);
});

test('broken files give a UserError naming the file and the problem', async () => {
  const cases: [string, Buffer | null, RegExp][] = [
    ['short.safetensors', Buffer.from([1, 2, 3]), /shorter than the 8-byte header/],
    ['huge-header.safetensors', Buffer.concat([Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0]), Buffer.from('{}')]), /header claims/],
  ];
  for (const [name, bytes, re] of cases) {
    const path = join(dir, name);
    writeFileSync(path, bytes as Buffer);
    await assert.rejects(readSafetensors(path), (e: unknown) => e instanceof UserError && e.message.includes(name) && re.test(e.message));
  }
  const truncated = fileWith({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, Buffer.alloc(8), 'trunc.safetensors');
  await assert.rejects(readSafetensors(truncated), /trunc\.safetensors.*"w".*truncated/);
  const int8 = fileWith({ w: { dtype: 'I8', shape: [4], data_offsets: [0, 4] } }, Buffer.alloc(4), 'int8.safetensors');
  await assert.rejects(readSafetensors(int8), /int8\.safetensors: tensor "w" has dtype I8/);
  await assert.rejects(readSafetensors(join(dir, 'missing.safetensors')), /Cannot read .*missing\.safetensors/);
});
