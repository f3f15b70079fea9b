// `npm run demo`: the two-step dance with the CLI, exactly as a user would run it.
//   1. pretraining: a tiny BERT pretrains from nothing here, with masked LM on WikiText-2, for a
//      few minutes; next to it stands the shipped base (models/bert-tiny-wikitext): the same
//      model and recipe pretrained for over an hour by `npm run pretrain:base`;
//   2. both are fine-tuned on a few hundred labelled SMS messages with `features`, `lora` and
//      `full` (a high learning rate), next to the same architecture and tokenizer trained from
//      scratch;
//   3. one table: accuracy, training time, the change in general-text probe loss, and what each
//      pretraining bought (or cost) against the from-scratch control.
// Every number comes from the runs themselves. The runs go in two lanes, two CLI processes at a
// time on the two cores.
//   TRANSFER_LAB_DEMO_SEED=S   fine-tuning seed 41 + S (label subsample, split, initial weights)
//   TRANSFER_LAB_DEMO_STEPS=N  pretraining steps run here (default 800)
//   TRANSFER_LAB_DEMO_BASE=DIR another model folder as the long-pretrained base; `none` leaves
//                              the base rows out
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const SEED = Number(process.env.TRANSFER_LAB_DEMO_SEED ?? 1);
const baseEnv = process.env.TRANSFER_LAB_DEMO_BASE ?? join(root, 'models', 'bert-tiny-wikitext');
const BASE = baseEnv === 'none' ? null : resolve(baseEnv);
const PRETRAIN_STEPS = Number(process.env.TRANSFER_LAB_DEMO_STEPS ?? 800);
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
const read = (folder, file) => readFileSync(join(folder, file), 'utf8');
const baseRecord = BASE ? pretrainRecord(BASE) : null;
const baseRecipe = baseRecord?.origin === 'fresh' ? baseRecord.config : null;
// Pretraining here follows the base's recipe (family, size, vocabulary, seed), so both models
// share one tokenizer and one held-out slice: the forgetting probe is text neither trained on,
// and one from-scratch control serves both. Without a base: a 2,000-piece vocabulary, seed 1
// (measured: after 600 steps its features classified SMS better than an 8,000-piece model's).
const RECIPE = { family: baseRecipe?.family ?? 'bert', size: baseRecipe?.size ?? 'tiny', vocabSize: baseRecipe?.vocabSize ?? 2000, seed: baseRecipe?.seed ?? 1 };
const PRETRAIN = ['--family', RECIPE.family, '--size', RECIPE.size, '--vocab-size', String(RECIPE.vocabSize), '--seed', String(RECIPE.seed)];
// The from-scratch control needs only the architecture and the tokenizer: a one-step pretraining
// with the same corpus, vocabulary and seed trains the very same tokenizer. Its weights are drawn
// afresh by --from-scratch.
const architecture = join(work, 'bert-tiny-architecture');
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
const HERE = 'pretrained here';
const SHIPPED = 'shipped base';
const CONTROL = 'same model, from scratch';
const SHIPPED_CONTROL = 'shipped base, from scratch'; // only when the base is not the same model as CONTROL's

/** Whether `folder` holds a model pretrained from nothing with RECIPE for `steps` steps. */
function madeWithRecipe(folder, steps) {
  const c = existsSync(join(folder, 'model.safetensors')) ? pretrainRecord(folder)?.config : null;
  return !!c && c.steps === steps && c.model === '' && Object.entries(RECIPE).every(([key, value]) => c[key] === value);
}

async function pretrainedReady() {
  if (madeWithRecipe(pretrained, PRETRAIN_STEPS)) {
    const earlier = pretrainRecord(pretrained);
    console.log(`[pretrain] using the model from an earlier demo run: ${short(pretrained)} (delete it to pretrain again)`);
    results.set('pretrain', { ...earlier, trainSeconds: earlier.timings.trainMs / 1000 });
    return;
  }
  rmSync(pretrained, { recursive: true, force: true }); // made with other settings
  const s = await run(['pretrain', corpus, ...PRETRAIN, '--steps', String(PRETRAIN_STEPS), '--eval-every', '100', '--out', pretrained], 'pretrain', 50);
  results.set('pretrain', s);
}

async function architectureReady() {
  if (madeWithRecipe(architecture, 1)) return;
  rmSync(architecture, { recursive: true, force: true }); // an earlier demo's, with other settings
  await run(['pretrain', corpus, ...PRETRAIN, '--steps', '1', '--out', architecture], 'tokenizer', 1);
}

/** The shipped base is "the same model" as the control when it has the same config and tokenizer. */
const baseSharesControl = () => BASE !== null && read(BASE, 'tokenizer.json') === read(architecture, 'tokenizer.json') && read(BASE, 'config.json') === read(architecture, 'config.json');

// Lane A: pretrain here, then its features and LoRA runs. Lane B meanwhile: the from-scratch
// control and the shipped base's three runs, then full fine-tuning of the model pretrained here.
const pretraining = pretrainedReady();
await Promise.all([
  (async () => {
    await pretraining;
    await fineTune(`${HERE} + features`, ['--model', pretrained, '--strategy', 'features', '--limit', String(LABELS)]);
    await fineTune(`${HERE} + lora`, ['--model', pretrained, '--strategy', 'lora', ...TRAIN]);
  })(),
  (async () => {
    await architectureReady();
    await fineTune(CONTROL, ['--model', architecture, '--from-scratch', '--strategy', 'full', ...TRAIN]);
    if (BASE) {
      // A base of another architecture or tokenizer gets its own control.
      if (!baseSharesControl()) await fineTune(SHIPPED_CONTROL, ['--model', BASE, '--from-scratch', '--strategy', 'full', ...TRAIN]);
      await fineTune(`${SHIPPED} + features`, ['--model', BASE, '--strategy', 'features', '--limit', String(LABELS)]);
      await fineTune(`${SHIPPED} + lora`, ['--model', BASE, '--strategy', 'lora', ...TRAIN]);
      await fineTune(`${SHIPPED} + full`, ['--model', BASE, '--strategy', 'full', ...TRAIN]);
    }
    await pretraining;
    await fineTune(`${HERE} + full`, ['--model', pretrained, '--strategy', 'full', ...TRAIN]);
  })(),
]);

// The control is only "the same model" if both folders hold the same tokenizer.
if (read(pretrained, 'tokenizer.json') !== read(architecture, 'tokenizer.json')) {
  console.warn(`warning: the from-scratch control trained a different tokenizer; delete ${short(work)} and run again.`);
}

const STRATEGIES = ['features', 'lora', 'full'];
const models = [HERE, ...(BASE ? [SHIPPED] : [])];
const controlOf = (model) => results.get(model === SHIPPED && results.has(SHIPPED_CONTROL) ? SHIPPED_CONTROL : CONTROL);
const rows = [
  ...models.flatMap((model) => STRATEGIES.map((strategy) => ({ name: `${model} + ${strategy}`, control: controlOf(model) }))),
  { name: CONTROL, control: null },
  ...(results.has(SHIPPED_CONTROL) ? [{ name: SHIPPED_CONTROL, control: null }] : []),
];
const pct = (x) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const signed = (x, digits) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
const probeChange = (s) => (s.probeLoss == null || s.baseProbeLoss == null ? null : s.probeLoss - s.baseProbeLoss);
const table = [
  ['run', 'val accuracy', 'vs scratch', 'macro-F1', 'train time', 'probe loss change'],
  ...rows.map(({ name, control }) => {
    const s = results.get(name);
    const gain = control ? (s.valAccuracy - control.valAccuracy) * 100 : null;
    const change = probeChange(s);
    return [
      name, pct(s.valAccuracy), gain === null ? '' : `${signed(gain, 1)} points${gain < 0 ? ' (negative transfer)' : ''}`,
      s.valMacroF1?.toFixed(3) ?? 'n/a', `${s.trainSeconds.toFixed(1)} s`, change === null ? 'n/a' : `${signed(change, 3)} nats`,
    ];
  }),
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
console.log(`\nSMS spam, ${LABELS} labelled messages; validation on held-out messages (majority class: ${pct(results.get(CONTROL).majorityRate)})`);
const pre = results.get('pretrain');
console.log(`Pretrained here: ${PRETRAIN_STEPS.toLocaleString('en-US')} steps of masked LM on WikiText-2 from nothing, held-out loss ${pre.initialHeldOutLoss.toFixed(2)} → ${pre.heldOutLoss.toFixed(2)} nats in ${(pre.trainSeconds / 60).toFixed(1)} min`);
if (baseRecord) {
  const minutes = (baseRecord.timings.trainMs / 60000).toFixed(0);
  const on = baseRecord.config.corpus.split(/[\\/]/).pop();
  console.log(`Shipped base: ${short(BASE)}, ${baseRecord.config.steps.toLocaleString('en-US')} steps of ${baseRecord.objective} on ${on} (${minutes} min), held-out loss ${baseRecord.initialHeldOutLoss.toFixed(2)} → ${baseRecord.heldOutLoss.toFixed(2)} nats`);
} else if (BASE) console.log(`Shipped base: ${short(BASE)}`);
console.log('');
for (const [i, r] of table.entries()) {
  console.log('  ' + r.map((c, j) => c.padEnd(widths[j])).join('   '));
  if (i === 0) console.log('  ' + widths.map((w) => '-'.repeat(w)).join('   '));
}

console.log('');
for (const model of models) {
  const [dl, df] = [probeChange(results.get(`${model} + lora`)), probeChange(results.get(`${model} + full`))];
  if (dl === null || df === null) continue;
  console.log(`Forgetting, ${model}: full fine-tuning moved the general-text probe loss by ${signed(df, 3)} nats, LoRA by ${signed(dl, 3)} (${Math.abs(df) > Math.abs(dl) ? 'full forgot more' : 'LoRA forgot more'}).`);
}
console.log(`Probe loss: masked-LM loss on held-out WikiText neither model trained on (a rise = forgetting).`);
console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s. Runs are in ${short(runsDir)}; open them in VS Code with Transfer Lab.`);
