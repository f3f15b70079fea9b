/**
 * Finds model folders (config.json + safetensors weights) under workspace folders, configured
 * paths and a runs folder, and summarises each from its config.json alone (no weights read).
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { ModelSummary } from '../protocol';
import { ConfigReader } from '../models/configKeys';
import { familyForModelType } from '../models/families';
import { headFromArchitectures } from '../models/transformerModel';
import { readConfigJson } from './modelFolder';

const SKIP = new Set(['node_modules', '.git', 'dist', '.venv', '__pycache__']);
/** Deep enough for models/<org>/<name>; a whole home directory is not scanned. */
const MAX_DEPTH = 4;

function tokenizerKind(dir: string): string {
  if (existsSync(join(dir, 'tokenizer.json'))) return 'tokenizer.json';
  if (existsSync(join(dir, 'vocab.txt'))) return 'vocab.txt';
  if (existsSync(join(dir, 'vocab.json')) && existsSync(join(dir, 'merges.txt'))) return 'vocab.json+merges.txt';
  return 'none';
}

function isModelFolder(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && (existsSync(join(dir, 'model.safetensors')) || existsSync(join(dir, 'model.safetensors.index.json')));
}

/** The summary of one folder, or null when its config is unreadable or unsupported. */
export async function summarizeModel(dir: string, source: ModelSummary['source'], name: string, runId: string | null): Promise<ModelSummary | null> {
  try {
    const json = await readConfigJson(dir);
    const definition = familyForModelType(json['model_type'], join(dir, 'config.json'));
    const head = headFromArchitectures(definition, json['architectures']);
    const reader = new ConfigReader(json, join(dir, 'config.json'));
    const c = definition.parseConfig(reader, head, reader.labels());
    return { dir, name, family: definition.family, head, layers: c.numLayers, hidden: c.hiddenSize, heads: c.numHeads, tokenizer: tokenizerKind(dir), source, runId };
  } catch {
    return null;
  }
}

async function walk(root: string, depth: number, found: string[]): Promise<void> {
  if (isModelFolder(root)) {
    found.push(root);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory() && !SKIP.has(e.name) && !(e.name.startsWith('.') && e.name !== '.transfer-lab')) await walk(join(root, e.name), depth + 1, found);
  }
}

export async function discoverModels(workspaceRoots: readonly string[], modelPaths: readonly string[], runsDir: string): Promise<ModelSummary[]> {
  const out: ModelSummary[] = [];
  const seen = new Set<string>();
  const add = (m: ModelSummary | null): void => {
    if (m !== null && !seen.has(m.dir)) {
      seen.add(m.dir);
      out.push(m);
    }
  };
  let runs: string[] = [];
  try {
    runs = (await readdir(runsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort().reverse();
  } catch {
    // no runs yet
  }
  for (const runId of runs) {
    for (const sub of ['final', 'best']) {
      const dir = join(runsDir, runId, sub);
      if (isModelFolder(dir)) add(await summarizeModel(dir, 'run', `${runId} (${sub})`, runId));
    }
  }
  for (const [roots, source] of [[workspaceRoots, 'workspace'], [modelPaths, 'setting']] as const) {
    for (const root of roots) {
      const found: string[] = [];
      await walk(root, 0, found);
      for (const dir of found.sort()) {
        if (dir.startsWith(runsDir)) continue;
        add(await summarizeModel(dir, source, relative(root, dir) || basename(dir), null));
      }
    }
  }
  return out;
}
