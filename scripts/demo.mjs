// `npm run demo`: fine-tunes the tiny preset on the SMS Spam Collection shipped in data/ with the
// CLI (exactly what a user would run) and prints the result table. A few minutes on 2 cores.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataset = join(root, 'data', 'sms-spam', 'sms_spam.csv');
const args = [join(root, 'dist', 'cli.js'), 'finetune', dataset, '--model', 'tiny', '--epochs', '2', '--seed', '42', '--runs-dir', join(root, '.transfer-lab', 'runs'), '--json'];
console.log(`$ transfer-lab ${args.slice(1).map((a) => a.replace(root + '/', '')).join(' ')}\n`);

const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let buffer = '';
let summary = null;
let steps = 0;
child.stdout.on('data', (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    const event = JSON.parse(line);
    if (event.type === 'summary') summary = event;
    else if (event.type === 'step' && ++steps % 40 === 0) {
      console.log(`  step ${event.step} · epoch ${event.epoch} · loss ${event.loss.toFixed(4)} · ${Math.round(event.tokensPerSec)} tokens/s`);
    }
  }
});
child.on('exit', (code) => {
  if (summary === null || summary.state !== 'completed') {
    console.error(`demo failed (exit ${code})`);
    process.exit(code || 1);
  }
  const pct = (x) => `${(x * 100).toFixed(2)} %`;
  const rows = [
    ['dataset', 'SMS Spam Collection v.1 (5,574 messages, ham/spam)'],
    ['model', 'tiny BERT (2 layers, hidden 128), WordPiece vocabulary trained on the data'],
    ['backend', summary.backend],
    ['validation accuracy', pct(summary.valAccuracy)],
    ['majority-class rate', pct(summary.majorityRate)],
    ['validation macro-F1', summary.valMacroF1.toFixed(4)],
    ['validation loss', summary.valLoss.toFixed(4)],
    ['training time', `${summary.trainSeconds.toFixed(1)} s`],
    ['run folder', summary.runDir.replace(root + '/', '')],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log('\nResult');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
});
