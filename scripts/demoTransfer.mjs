// `npm run demo:transfer`: the two-step dance with the CLI, exactly as a user would run it.
//   1. pretrain a tiny BERT (masked LM) on general English (WikiText-2, shipped in data/);
//   2. fine-tune it on a few hundred labelled SMS messages with `features`, `lora` and `full`,
//      next to the same architecture trained from scratch;
//   3. print one table: accuracy, training time and the change in general-text probe loss.
// Every number comes from the runs themselves. TRANSFER_LAB_DEMO_STEPS sets the pretraining steps.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const work = join(root, '.transfer-lab', 'demo');
const corpus = join(root, 'data', 'wikitext2', 'wiki.valid.raw');
const dataset = join(root, 'data', 'sms-spam', 'sms_spam.csv');
const pretrained = join(work, 'bert-tiny-wikitext');
const LABELS = 400; // "a few hundred labels": where transfer matters most
const PRETRAIN_STEPS = Number(process.env.TRANSFER_LAB_DEMO_STEPS ?? 150); // ~3.5 min of one core; the held-out loss flattens near 7 nats by then

/** Runs the CLI with --json, echoing progress every `every` steps; resolves with the summary. */
function run(args, label, every = 50) {
  console.log(`\n$ transfer-lab ${args.map((a) => a.replace(root + '/', '')).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args, '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    let summary = null;
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
        else if (event.type === 'step' && event.step % every === 0) console.log(`  ${label}: step ${event.step} · loss ${event.loss.toFixed(3)}`);
      }
    });
    child.on('exit', (code) => (code === 0 && summary ? resolve(summary) : reject(new Error(`${label} failed (exit ${code})`))));
  });
}

const started = Date.now();
if (!existsSync(join(pretrained, 'model.safetensors'))) {
  await run(['pretrain', corpus, '--family', 'bert', '--size', 'tiny', '--steps', String(PRETRAIN_STEPS), '--seed', '1', '--out', pretrained], 'pretrain');
} else {
  console.log(`\nUsing the pretrained model from an earlier demo run: ${pretrained.replace(root + '/', '')} (delete it to pretrain again)`);
}
const common = ['--limit', String(LABELS), '--epochs', '4', '--seed', '42', '--runs-dir', join(work, 'runs')];
const rows = [];
for (const [name, args] of [
  ['pretrained + features', ['--model', pretrained, '--strategy', 'features']],
  ['pretrained + lora', ['--model', pretrained, '--strategy', 'lora', '--lr', '1e-3']],
  ['pretrained + full', ['--model', pretrained, '--strategy', 'full', '--lr', '5e-4']],
  ['from scratch + full', ['--model', 'tiny', '--strategy', 'full']],
]) {
  rows.push([name, await run(['finetune', dataset, ...args, ...common], name, 20)]);
}

const pct = (x) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const delta = (s) => (s.probeLoss === null || s.baseProbeLoss === null || s.probeLoss === undefined ? 'n/a' : `${s.probeLoss - s.baseProbeLoss >= 0 ? '+' : ''}${(s.probeLoss - s.baseProbeLoss).toFixed(3)}`);
const table = [
  ['run', 'val accuracy', 'macro-F1', 'train time', 'probe loss change'],
  ...rows.map(([name, s]) => [name, pct(s.valAccuracy), s.valMacroF1?.toFixed(3) ?? 'n/a', `${s.trainSeconds.toFixed(1)} s`, delta(s)]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
console.log(`\nSMS spam, ${LABELS} labelled messages, validation on held-out messages (majority class: ${pct(rows[0][1].majorityRate)})\n`);
for (const [i, r] of table.entries()) {
  console.log('  ' + r.map((c, j) => c.padEnd(widths[j])).join('   '));
  if (i === 0) console.log('  ' + widths.map((w) => '-'.repeat(w)).join('   '));
}
console.log(`\nProbe loss: masked-LM loss on held-out WikiText the model never trained on (lower = less forgetting).`);
console.log(`Total ${(Math.round((Date.now() - started) / 100) / 10).toFixed(1)} s. Runs are in ${join(work, 'runs').replace(root + '/', '')}; open them in VS Code with Transfer Lab.`);
