/**
 * How long a dataset's texts are in a model's tokens, for the wizard's max-length suggestion: a
 * seeded sample of rows, measured with the model folder's tokenizer or, for a fresh preset, with
 * a vocabulary trained on the sample the way a run trains one. Special tokens are included.
 */
import { basename, join } from 'node:path';
import { DatasetTokenLengths, type TokenLengthStats } from '../protocol';
import { UserError } from '../errors';
import { readConfigJson } from '../checkpoints/modelFolder';
import { DEFAULT_FINETUNE_CONFIG } from '../finetune/fineTuneConfig';
import { ConfigReader } from '../models/configKeys';
import { FAMILY_DEFINITIONS, familyForModelType } from '../models/families';
import type { FamilyDefinition } from '../models/family';
import { parsePreset } from '../models/presets';
import { loadTokenizerFromFolder } from '../tokenizers/loadTokenizer';
import { TextTokenizer } from '../tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../tokenizers/trainTokenizers';
import { detectTextColumn, summarizeColumns } from './columns';
import { columnIndex } from './labelledDataset';
import { readTable, type Table } from './readTable';

/** Nearest-rank percentiles (and mean, max) of token counts; all zero for an empty list. */
export function lengthStats(lengths: readonly number[], rows: number): TokenLengthStats {
  const sorted = [...lengths].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = (p: number): number => (n === 0 ? 0 : (sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))] ?? 0));
  const mean = n === 0 ? 0 : sorted.reduce((s, x) => s + x, 0) / n;
  return { sampled: n, rows, mean, p50: rank(50), p90: rank(90), p95: rank(95), p99: rank(99), max: sorted[n - 1] ?? 0 };
}

interface Measuring {
  readonly tokenizer: TextTokenizer;
  readonly maxLength: number;
  readonly description: string;
}

/** The longest input a model of this config.json accepts, without building its weights. */
function maxLengthOf(definition: FamilyDefinition, json: Record<string, unknown>, source: string): number {
  return definition.maxInputLength(definition.parseConfig(new ConfigReader(json, source), 'base', []));
}

async function measuringFor(model: string, texts: readonly string[]): Promise<Measuring> {
  const preset = parsePreset(model);
  if (preset !== null) {
    const definition = FAMILY_DEFINITIONS[preset.family];
    const tokenizer = TextTokenizer.fromJson(trainTokenizerForFamily(preset.family, texts, DEFAULT_FINETUNE_CONFIG.vocabSize), 'trained vocabulary');
    const special = { pad: tokenizer.padId, bos: tokenizer.specialTokens.bos, eos: tokenizer.specialTokens.eos };
    const json = definition.presetHfConfig(preset.size, tokenizer.vocabSize, special);
    return { tokenizer, maxLength: maxLengthOf(definition, json, `preset ${model}`), description: `${tokenizer.kind} trained on the sample (${preset.family})` };
  }
  const json = await readConfigJson(model);
  const definition = familyForModelType(json['model_type'], join(model, 'config.json'));
  const tokenizer = await loadTokenizerFromFolder(model, typeof json['model_type'] === 'string' ? json['model_type'] : undefined);
  return { tokenizer, maxLength: maxLengthOf(definition, json, join(model, 'config.json')), description: `${tokenizer.kind} of ${basename(model)}` };
}

function textIndex(table: Table, name: string): number {
  return columnIndex(table, name !== '' ? name : detectTextColumn(table, summarizeColumns(table)));
}

/** Token lengths of a sample of `p.path`'s texts (and pairs) in `p.model`'s tokens. */
export async function measureTokenLengths(p: DatasetTokenLengths.Params): Promise<DatasetTokenLengths.Result> {
  const table = await readTable(p.path, { limit: DatasetTokenLengths.SAMPLE_ROWS, seed: DEFAULT_FINETUNE_CONFIG.seed });
  const text = textIndex(table, p.textColumn);
  const pairName = p.textPairColumn ?? '';
  const pair = pairName === '' ? -1 : columnIndex(table, pairName);
  if (pair === text) throw new UserError(`${p.path}: the text column and the second text column are both "${table.columns[text] ?? ''}". Choose two different columns.`);
  const rows = table.rows.filter((r) => (r[text] ?? '').trim() !== '' && (pair < 0 || (r[pair] ?? '').trim() !== ''));
  if (rows.length === 0) throw new UserError(`${p.path}: column "${table.columns[text] ?? ''}" is empty in every row. Choose the column that holds the texts.`);
  const texts = rows.flatMap((r) => (pair < 0 ? [r[text] ?? ''] : [r[text] ?? '', r[pair] ?? '']));
  const m = await measuringFor(p.model, texts);
  const lengths = rows.map((r) => m.tokenizer.encode(r[text] ?? '', pair < 0 ? undefined : (r[pair] ?? '')).ids.length);
  return {
    lengths: lengthStats(lengths, table.fileRows ?? table.rows.length),
    modelMaxLength: m.maxLength,
    tokenizer: m.description,
    textColumn: table.columns[text] ?? '',
  };
}
