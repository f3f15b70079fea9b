/**
 * Loaded models kept for inference requests (attention, prompts): the most recently used few,
 * keyed by folder and the weights' modification time so a retrained folder reloads. Concurrent
 * requests for the same folder share one load.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModelFolder, type LoadedModel } from '../checkpoints/modelFolder';

/** Two models: e.g. base and fine-tuned side by side; each bert-base is ~0.5 GB. */
export const MODEL_CACHE_SIZE = 2;

async function versionOf(dir: string): Promise<string> {
  for (const f of ['model.safetensors', 'model.safetensors.index.json', 'config.json']) {
    try {
      const s = await stat(join(dir, f));
      return `${f}:${s.mtimeMs}:${s.size}`;
    } catch {
      // try the next file
    }
  }
  return 'missing';
}

export class ModelCache {
  private readonly entries = new Map<string, { version: string; loading: Promise<LoadedModel> }>();

  async get(dir: string): Promise<LoadedModel> {
    const version = await versionOf(dir);
    const hit = this.entries.get(dir);
    if (hit !== undefined && hit.version === version) {
      this.entries.delete(dir); // re-insert: most recently used last
      this.entries.set(dir, hit);
      return hit.loading;
    }
    if (hit !== undefined) this.evict(dir);
    const loading = loadModelFolder(dir);
    this.entries.set(dir, { version, loading });
    loading.catch(() => this.entries.delete(dir));
    while (this.entries.size > MODEL_CACHE_SIZE) this.evict(this.entries.keys().next().value as string);
    return loading;
  }

  private evict(dir: string): void {
    const e = this.entries.get(dir);
    this.entries.delete(dir);
    void e?.loading.then((m) => m.model.dispose(), () => undefined);
  }

  dispose(): void {
    for (const dir of [...this.entries.keys()]) this.evict(dir);
  }
}
