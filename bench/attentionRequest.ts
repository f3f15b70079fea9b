/**
 * `attention` through the real server: a random-weight model folder is written, the server is
 * started, and `transferLab/model/attention` is sent for a text truncated to `seq` tokens. The
 * first request loads the model into the server's cache; the figure is the median of the later
 * ones (request → base64 float32 maps back), the first is a detail.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../server/backend/selectBackend';
import { BENCH_TEXT, saveRandomModelFolder } from '../server/bench/benchModelFolder';
import type { BenchShape } from '../server/bench/benchSpec';
import { median } from '../server/bench/stats';
import { ModelAttention } from '../server/protocol';
import { startServer } from './serverProcess';

export interface AttentionRequestResult {
  readonly medianMs: number;
  readonly timesMs: readonly number[];
  /** The first request: model folder loaded into the server's cache, then answered. */
  readonly firstMs: number;
  /** Query tokens the answer carried (the text truncated to the shape's seq). */
  readonly tokens: number;
  readonly backend: string;
  readonly device: string;
  readonly peakRssMb: number | null;
}

export async function measureAttentionRequest(dist: string, backend: string, shape: BenchShape, repetitions: number, timeoutMs: number): Promise<AttentionRequestResult> {
  const dir = await mkdtemp(join(tmpdir(), 'transfer-lab-bench-'));
  try {
    await initBackend('wasm'); // only to write the folder; the server picks its own backend
    await saveRandomModelFolder(dir, shape, 'base', 1);
    const server = await startServer(dist, backend, timeoutMs);
    try {
      const params: ModelAttention.Params = { model: dir, text: BENCH_TEXT, maxLength: shape.seq };
      const times: number[] = [];
      let tokens = 0;
      for (let i = 0; i <= repetitions; i++) {
        const t0 = performance.now();
        const r = await server.connection.sendRequest(ModelAttention.type, params);
        times.push(performance.now() - t0);
        tokens = r.attention.queryTokens.length;
      }
      const [firstMs, ...rest] = times as [number, ...number[]];
      return {
        medianMs: median(rest), timesMs: rest, firstMs, tokens, backend: server.info.backend.backend, device: server.info.backend.device,
        peakRssMb: server.peakRssMb(),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
