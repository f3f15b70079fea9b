// What "Pretrain…" offers: families with their objectives, sizes, step counts, and the default
// output folder (models/<corpus>-<family>-<size> in the workspace, never an existing folder).
// Pure (node:path only) so the choices and the folder rule are unit-tested.
import * as path from 'node:path';

export interface FamilyChoice {
  readonly family: string;
  readonly objective: string;
  readonly description: string;
}

export const PRETRAIN_FAMILIES: readonly FamilyChoice[] = [
  { family: 'bert', objective: 'masked LM', description: 'WordPiece vocabulary; the classic encoder to fine-tune for classification' },
  { family: 'roberta', objective: 'masked LM', description: 'byte-level BPE, no token types; BERT trained longer and better' },
  { family: 'distilbert', objective: 'masked LM', description: 'BERT without token types or pooler: smaller and faster' },
  { family: 'albert', objective: 'masked LM', description: 'factorised embeddings and one layer shared by all: few parameters' },
  { family: 'gpt2', objective: 'causal LM', description: 'predicts the next token: generates text, fine-tunes as causal-lm' },
  { family: 't5', objective: 'span corruption', description: 'encoder–decoder: fine-tunes as text-to-text' },
];

export const PRETRAIN_SIZES: readonly { readonly size: string; readonly description: string }[] = [
  { size: 'tiny', description: '2 layers, hidden 128: minutes on a laptop CPU' },
  { size: 'mini', description: '4 layers, hidden 256: about 4× the compute of tiny' },
  { size: 'small', description: '4–6 layers, hidden 512: a GPU or patience' },
];

/** Optimizer steps offered; the CLI's default first. */
export const PRETRAIN_STEPS: readonly number[] = [300, 100, 1000, 3000, 10000];

/** Text files "Pretrain…" accepts besides folders (the server's corpus reader also takes dataset files). */
export const PRETRAIN_TEXT_EXTENSIONS: readonly string[] = ['txt', 'md', 'raw'];

export function isPretrainTextFile(file: string): boolean {
  return PRETRAIN_TEXT_EXTENSIONS.includes(path.extname(file).slice(1).toLowerCase());
}

/** A folder-name-safe stem of the corpus ("wiki.valid.raw" → "wiki-valid"). */
function corpusStem(corpus: string): string {
  const base = path.basename(corpus, path.extname(corpus));
  return base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'corpus';
}

/**
 * `<root>/models/<corpus>-<family>-<size>`, or with `-2`, `-3`, … when that exists. `root` is the
 * workspace folder (the Models view finds the result there); without one, beside the corpus.
 */
export function defaultOutputFolder(corpus: string, family: string, size: string, root: string | undefined, exists: (p: string) => boolean): string {
  const parent = root !== undefined ? path.join(root, 'models') : path.dirname(corpus);
  const name = `${corpusStem(corpus)}-${family}-${size}`;
  let candidate = path.join(parent, name);
  for (let n = 2; exists(candidate); n++) candidate = path.join(parent, `${name}-${n}`);
  return candidate;
}
