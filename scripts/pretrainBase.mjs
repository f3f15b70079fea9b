// `npm run pretrain:base`: makes the base model the demo starts from, models/bert-tiny-wikitext —
// a 2-layer BERT (hidden 128, a 2,000-piece WordPiece vocabulary) pretrained with masked LM on
// both shipped WikiText-2 splits for 8,000 steps (about 90 minutes on one core). The demo sets it
// beside the same model pretrained there for 800 steps, which stay at the unigram plateau
// (README, "What transfer buys"). Seed 1 also draws the held-out slice (probe.txt) the forgetting
// probe reads; the demo pretrains with the same seed, so neither model trains on it.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = [
  join(root, 'dist', 'cli.js'), 'pretrain', join(root, 'data', 'wikitext2'),
  '--family', 'bert', '--size', 'tiny', '--vocab-size', '2000', '--seed', '1',
  '--steps', '8000', '--eval-every', '1000', '--out', join(root, 'models', 'bert-tiny-wikitext'),
];
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(status ?? 1);
