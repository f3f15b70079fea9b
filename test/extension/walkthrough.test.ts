// The Getting Started walkthrough in package.json: the steps of WALKTHROUGH_STEPS in order, each
// with markdown media that exists in the package (media/ is in the .vsix), a completion event
// naming a contributed command or view, and the shipped sample dataset its first step copies.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');

interface Step { id: string; title: string; description: string; media: { markdown?: string }; completionEvents: string[] }
interface Manifest {
  contributes: {
    commands: { command: string }[];
    walkthroughs?: { id: string; title: string; description: string; steps: Step[] }[];
    views: Record<string, { id: string }[]>;
  };
}

/** Imported by URL, like commandTable.test.ts: test/tsconfig.json does not list extension/. */
async function loadIds(): Promise<{ WALKTHROUGH_ID: string; WALKTHROUGH_STEPS: readonly string[] }> {
  return (await import(pathToFileURL(join(ROOT, 'extension', 'commandIds.ts')).href)) as { WALKTHROUGH_ID: string; WALKTHROUGH_STEPS: readonly string[] };
}

test('the walkthrough has its steps in order, each with markdown media and a completion event', async () => {
  const { WALKTHROUGH_ID, WALKTHROUGH_STEPS } = await loadIds();
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const walkthrough = manifest.contributes.walkthroughs?.find((w) => w.id === WALKTHROUGH_ID);
  assert.ok(walkthrough !== undefined, `no walkthrough ${WALKTHROUGH_ID}`);
  assert.deepEqual(walkthrough.steps.map((s) => s.id), [...WALKTHROUGH_STEPS]);
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));
  const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
  const vscodeignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
  assert.match(vscodeignore, /^!media\/\*\*$/m, 'media/ (walkthrough pages and sample) goes into the .vsix');
  for (const step of walkthrough.steps) {
    const md = step.media.markdown;
    assert.ok(md !== undefined && md.startsWith('media/walkthrough/') && existsSync(join(ROOT, md)), `${step.id}: markdown media ${md}`);
    assert.match(readFileSync(join(ROOT, md), 'utf8'), /^# \S/, `${md} starts with a heading`);
    assert.ok(step.completionEvents.length > 0, `${step.id} needs a completion event`);
    for (const event of step.completionEvents) {
      const [kind, id] = event.split(':') as [string, string];
      if (kind === 'onCommand') assert.ok(commands.has(id), `${step.id}: ${event} names an unknown command`);
      else if (kind === 'onView') assert.ok(views.has(id), `${step.id}: ${event} names an unknown view`);
      else assert.fail(`${step.id}: unexpected completion event ${event}`);
    }
    for (const [, id] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commands.has(id!), `${step.id}: button runs unknown command ${id}`);
  }
});

test('the sample dataset is the start of the SMS Spam Collection, byte for byte', () => {
  const sample = readFileSync(join(ROOT, 'media', 'walkthrough', 'sms-spam-sample.csv'), 'utf8');
  const original = readFileSync(join(ROOT, 'data', 'sms-spam', 'sms_spam.csv'), 'utf8');
  assert.ok(original.startsWith(sample), 'media/walkthrough/sms-spam-sample.csv is a prefix of data/sms-spam/sms_spam.csv');
  assert.ok(sample.startsWith('label,text\n') && sample.endsWith('\n'));
  const labels = sample.split('\n').slice(1).filter((l) => l !== '').map((l) => l.slice(0, l.indexOf(',')));
  assert.equal(labels.length, 400, 'no message spans lines in these 400');
  assert.deepEqual([labels.filter((l) => l === 'ham').length, labels.filter((l) => l === 'spam').length], [342, 58]);
});
