/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a
 * JSON header {name: {dtype, shape, data_offsets}}, then the raw little-endian data. Reads F32,
 * F16 and BF16 (widened to F32); writes F32. Every header is validated against the file size.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors';
import type { NamedArray } from '../models/parameters';

const SUPPORTED_DTYPES = ['F32', 'F16', 'BF16'] as const;
type Dtype = (typeof SUPPORTED_DTYPES)[number];
const BYTES: Record<Dtype, number> = { F32: 4, F16: 2, BF16: 2 };
/** A header larger than this is not a real checkpoint header (the format caps it at 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decode(dtype: Dtype, bytes: Buffer): Float32Array {
  const n = bytes.length / BYTES[dtype];
  const out = new Float32Array(n);
  if (dtype === 'F32') {
    // slice() copies into a fresh, 4-byte-aligned buffer (little-endian hosts only)
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  } else if (dtype === 'F16') {
    for (let i = 0; i < n; i++) out[i] = f16ToF32(bytes.readUInt16LE(i * 2));
  } else {
    const view = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < n; i++) {
      view.setUint32(0, bytes.readUInt16LE(i * 2) << 16, true); // bf16 is the top half of an f32
      out[i] = view.getFloat32(0, true);
    }
  }
  return out;
}

function fail(path: string, why: string): never {
  throw new UserError(`${path} is not a valid safetensors file: ${why}. Re-save it with safetensors' save_file or save_pretrained.`);
}

/** Reads every tensor of a .safetensors file, widened to float32. */
export async function readSafetensors(path: string): Promise<Map<string, NamedArray>> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch {
    throw new UserError(`Cannot read ${path}. Check that the model folder contains model.safetensors.`);
  }
  if (buf.length < 8) fail(path, `the file is ${buf.length} bytes, shorter than the 8-byte header length`);
  const headerLen = Number(buf.readBigUInt64LE(0));
  if (headerLen > MAX_HEADER_BYTES || 8 + headerLen > buf.length) {
    fail(path, `the header claims ${headerLen} bytes but the file has ${buf.length - 8} after the length (truncated?)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(buf.subarray(8, 8 + headerLen).toString('utf8'));
  } catch {
    fail(path, 'the header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail(path, 'the header is not a JSON object');
  const dataStart = 8 + headerLen;
  const out = new Map<string, NamedArray>();
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(path, `the header entry of tensor "${name}" is not an object`);
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!SUPPORTED_DTYPES.includes(e.dtype as Dtype)) {
      throw new UserError(`${path}: tensor "${name}" has dtype ${String(e.dtype)}; supported: ${SUPPORTED_DTYPES.join(', ')}. Convert the checkpoint to float32 or float16.`);
    }
    const dtype = e.dtype as Dtype;
    const shape = e.shape;
    const offsets = e.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(path, `tensor "${name}" has an invalid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      fail(path, `tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)} (expected [begin, end] with 0 <= begin <= end)`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype] || dataStart + end > buf.length || begin < 0) {
      fail(path, `tensor "${name}" needs bytes ${begin}–${end} of the data section, which the file does not hold (truncated?)`);
    }
    out.set(name, { shape: shape as number[], data: decode(dtype, buf.subarray(dataStart + begin, dataStart + end)) });
  }
  return out;
}

/** Serialises float32 tensors (names sorted, as the reference implementation does). */
export function encodeSafetensors(tensors: ReadonlyMap<string, NamedArray>, metadata: Record<string, string> = { format: 'pt' }): Buffer {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name) as NamedArray;
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8); // align the data section to 8 bytes
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors.get(name) as NamedArray;
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, pos); // little-endian hosts only
    pos += t.data.byteLength;
  }
  return out;
}
