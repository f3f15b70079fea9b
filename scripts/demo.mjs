// `npm run demo`: the two-step dance with the CLI, exactly as a user would run it.
//   1. pretraining: the tiny BERT shipped in models/bert-tiny-wikitext (masked LM on WikiText-2,
//      pretrained for about 90 minutes by `npm run pretrain:base`) continues pretraining here for
//      a couple of minutes on the same corpus, its held-out loss printed as it goes;
//   2. fine-tune it on a few hundred labelled SMS messages with `features`, `lora` and `full`
//      (a high learning rate), next to the same architecture and tokenizer trained from scratch;
//   3. print one table: accuracy, training time and the change in general-text probe loss, and
//      what pretraining bought (or cost) against the from-scratch control.
// Every number comes from the runs themselves. The runs go in two lanes, two CLI processes at a
// time on the two cores.
//   TRANSFER_LAB_DEMO_SEED=S   fine-tuning seed 41 + S (label subsample, split, initial weights)
//   TRANSFER_LAB_DEMO_STEPS=N  pretraining steps run here (default 200; 500 from nothing)
//   TRANSFER_LAB_DEMO_BASE=DIR start from another model folder; `none` pretrains from nothing
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const SEED = Number(process.env.TRANSFER_LAB_DEMO_SEED ?? 1);
const baseEnv = process.env.TRANSFER_LAB_DEMO_BASE ?? join(root, 'models', 'bert-tiny-wikitext');
const BASE = baseEnv === 'none' ? null : resolve(baseEnv);
const PRETRAIN_STEPS = Number(process.env.TRANSFER_LAB_DEMO_STEPS ?? (BASE ? 200 : 500));
const corpus = join(root, 'data', 'wikitext2'); // both shipped splits, 455k words
const dataset = join(root, 'data', 'sms-spam', 'sms_spam.csv');
const work = join(root, '.transfer-lab', `demo${SEED === 1 ? '' : `-seed-${SEED}`}`);
const pretrained = join(work, 'bert-tiny-wikitext');
const runsDir = join(work, 'runs');
const LABELS = 400; // "a few hundred labels": where transfer should matter most
/** A model folder's pretrain.json (how transfer-lab pretrained it), or null (none, or unreadable). */
function pretrainRecord(folder) {
  try {
    return JSON.parse(readFileSync(join(folder, 'pretrain.json'), 'utf8'));
  } catch {
    return null;
  }
}
const baseRecord = BASE ? pretrainRecord(BASE) : null;
// The held-out slice (the forgetting probe) is drawn by the pretraining seed: a continuation must
// use the base's seed, or it would train on the base's held-out text.
const baseSeed = baseRecord?.config?.seed ?? SEED;
// From nothing: a 2,000-piece vocabulary (measured: after 600 steps its features classified SMS
// better than an 8,000-piece model's, 96.8 % against 95.7 %, and each step is faster).
const PRETRAIN = BASE
  ? ['--model', BASE, '--lr', '2e-4', '--seed', String(baseSeed)] // gently: the base ended its schedule at lr 0
  : ['--family', 'bert', '--size', 'tiny', '--vocab-size', '2000', '--seed', String(SEED)];
// The from-scratch control needs only the architecture and the tokenizer: the base folder itself,
// or (from nothing) a one-step pretraining with the same corpus, vocabulary and seed, which trains
// the very same tokenizer. Its weights are drawn afresh by --from-scratch.
const architecture = BASE ?? join(work, 'bert-tiny-architecture');
// Fine-tuning on 400 labels: a classifier on [CLS] needs ~150 updates before it leaves the
// majority class (measured), so every trained run gets 25 epochs of 13 steps at a high rate.
const TRAIN = ['--limit', String(LABELS), '--epochs', '25', '--lr', '2e-3', '--eval-every', '65'];
const common = ['--seed', String(41 + SEED), '--runs-dir', runsDir];
const short = (p) => p.replace(root + '/', '');

/** Runs the CLI with --json, echoing progress every `every` steps; resolves with the summary. */
function run(args, label, every = 65) {
  console.log(`[${label}] $ transfer-lab ${args.map(short).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args, '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let errors = '';
    let summary = null;
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let event;
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        if (event.type === 'summary') summary = event;
        else if (event.type === 'step' && event.step % every === 0) console.log(`[${label}] step ${event.step} · loss ${event.loss.toFixed(3)}`);
        else if (event.type === 'eval' && event.valAccuracy !== undefined) console.log(`[${label}] step ${event.step} · validation accuracy ${(event.valAccuracy * 100).toFixed(1)} %`);
        else if (event.type === 'eval' && event.heldOutLoss !== undefined) console.log(`[${label}] step ${event.step} · held-out loss ${event.heldOutLoss.toFixed(3)}`);
      }
    });
    child.on('exit', (code) => {
      if (code === 0 && summary) return resolve(summary);
      process.stderr.write(errors);
      reject(new Error(`${label} failed (exit ${code})`));
    });
  });
}

const started = Date.now();
const results = new Map();
const fineTune = async (name, args) => results.set(name, await run(['finetune', dataset, ...args, ...common], name));

async function pretrainedReady() {
  const earlier = existsSync(join(pretrained, 'model.safetensors')) ? pretrainRecord(pretrained)?.config : null;
  if (earlier && earlier.steps === PRETRAIN_STEPS && earlier.model === (BASE ?? '')) {
    console.log(`[pretrain] using the model from an earlier demo run: ${short(pretrained)} (delete it to pretrain again)`);
    return;
  }
  rmSync(pretrained, { recursive: true, force: true }); // made with other settings
  const s = await run(['pretrain', corpus, ...PRETRAIN, '--steps', String(PRETRAIN_STEPS), '--eval-every', '100', '--out', pretrained], 'pretrain', 50);
  results.set('pretrain', s);
}

async function architectureReady() {
  if (!existsSync(join(architecture, 'tokenizer.json'))) await run(['pretrain', corpus, ...PRETRAIN, '--steps', '1', '--out', architecture], 'tokenizer', 1);
}

// Lane A: pretrain, then the pretrained runs; lane B trains the from-scratch control meanwhile,
// then full fine-tuning of the pretrained model.
const pretraining = pretrainedReady();
await Promise.all([
  (async () => {
    await pretraining;
    await fineTune('pretrained + features', ['--model', pretrained, '--strategy', 'features', '--limit', String(LABELS)]);
    await fineTune('pretrained + lora', ['--model', pretrained, '--strategy', 'lora', ...TRAIN]);
  })(),
  (async () => {
    await architectureReady();
    await fineTune('same model, from scratch', ['--model', architecture, '--from-scratch', '--strategy', 'full', ...TRAIN]);
    await pretraining;
    await fineTune('pretrained + full', ['--model', pretrained, '--strategy', 'full', ...TRAIN]);
  })(),
]);

// The control is only "the same model" if both folders hold the same tokenizer.
const sameTokenizer = readFileSync(join(pretrained, 'tokenizer.json'), 'utf8') === readFileSync(join(architecture, 'tokenizer.json'), 'utf8');
if (!sameTokenizer) console.warn(`warning: the from-scratch control trained a different tokenizer; delete ${short(work)} and run again.`);

const ORDER = ['pretrained + features', 'pretrained + lora', 'pretrained + full', 'same model, from scratch'];
const pct = (x) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const delta = (s) => (s.probeLoss == null || s.baseProbeLoss == null ? 'n/a' : `${s.probeLoss - s.baseProbeLoss >= 0 ? '+' : ''}${(s.probeLoss - s.baseProbeLoss).toFixed(3)} nats`);
const table = [
  ['run', 'val accuracy', 'macro-F1', 'train time', 'probe loss change'],
  ...ORDER.map((name) => {
    const s = results.get(name);
    return [name, pct(s.valAccuracy), s.valMacroF1?.toFixed(3) ?? 'n/a', `${s.trainSeconds.toFixed(1)} s`, delta(s)];
  }),
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const first = results.get(ORDER[0]);
console.log(`\nSMS spam, ${LABELS} labelled messages; validation on held-out messages (majority class: ${pct(first.majorityRate)})`);
const pre = results.get('pretrain');
if (baseRecord) {
  const minutes = (baseRecord.timings.trainMs / 60000).toFixed(0);
  const on = baseRecord.config.corpus.split(/[\\/]/).pop();
  console.log(`Base: ${short(BASE)}, ${baseRecord.config.steps.toLocaleString('en-US')} steps of ${baseRecord.objective} on ${on} (${minutes} min), held-out loss ${baseRecord.initialHeldOutLoss.toFixed(2)} → ${baseRecord.heldOutLoss.toFixed(2)} nats`);
} else if (BASE) console.log(`Base: ${short(BASE)}`);
if (pre) console.log(`Pretraining here: ${PRETRAIN_STEPS} steps on WikiText-2 (${short(corpus)}), held-out masked-LM loss ${pre.initialHeldOutLoss.toFixed(2)} → ${pre.heldOutLoss.toFixed(2)} nats in ${pre.trainSeconds.toFixed(0)} s`);
console.log('');
for (const [i, r] of table.entries()) {
  console.log('  ' + r.map((c, j) => c.padEnd(widths[j])).join('   '));
  if (i === 0) console.log('  ' + widths.map((w) => '-'.repeat(w)).join('   '));
}

// What pretraining bought: each pretrained strategy against the same architecture from scratch.
const control = results.get('same model, from scratch').valAccuracy;
console.log('\nWhat pretraining bought (accuracy against the same model from scratch):');
for (const name of ORDER.slice(0, 3)) {
  const gain = (results.get(name).valAccuracy - control) * 100;
  console.log(`  ${name.padEnd(22)} ${gain >= 0 ? '+' : ''}${gain.toFixed(1)} points${gain < 0 ? '  (negative transfer)' : ''}`);
}
const lora = results.get('pretrained + lora');
const full = results.get('pretrained + full');
if (lora.probeLoss != null && full.probeLoss != null) {
  const [dl, df] = [lora.probeLoss - lora.baseProbeLoss, full.probeLoss - full.baseProbeLoss];
  console.log(`Forgetting: full fine-tuning moved the general-text probe loss by ${df.toFixed(3)} nats, LoRA by ${dl.toFixed(3)} (${Math.abs(df) > Math.abs(dl) ? 'full forgot more' : 'LoRA forgot more'}).`);
}
console.log(`\nProbe loss: masked-LM loss on held-out WikiText the model never trained on (a rise = forgetting).`);
console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s. Runs are in ${short(runsDir)}; open them in VS Code with Transfer Lab.`);
