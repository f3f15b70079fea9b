/**
 * Rehearsal (experience replay of pretraining data, cf. Robins, 1995; used against forgetting in
 * fine-tuning e.g. by Chen et al., 2020, RecAdam): each step adds weight × the LM loss of a batch
 * of general text, computed by the fine-tuned encoder under the base model's frozen LM head. The
 * text is the pretraining corpus recorded in the model's pretrain.json (its training part, so the
 * probe stays held out), else the probe text itself.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf, type Tensor } from '../../backend/tf';
import type { FineTuneConfig } from '../../protocol';
import type { ForwardOptions } from '../../models/blocks';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import { UserError } from '../../errors';
import { createRng } from '../../random';
import { readCorpus, splitHeldOut } from '../../pretrain/corpus';
import { exampleMaker, type ExampleMaker } from '../../pretrain/lmExamples';
import { disposeLmBatch, lmLoss, makeLmBatch, type LmBatch } from '../../pretrain/objectives';
import { packText } from '../../pretrain/packing';
import { PRETRAIN_RECORD_FILE } from '../../pretrain/runPretrain';
import type { LmHeadView } from '../lmHead';
import { probePath, readProbeLines } from '../probeLoss';
import { mixSeed, trainingOptions } from '../loop/seeds';

/** Tokens per rehearsal sequence (capped by the model and maxLength). */
export const REHEARSAL_SEQ_LENGTH = 64;

/** The training lines of the corpus pretrain.json names, split as pretraining split them; null if unavailable. */
async function pretrainingLines(modelDir: string): Promise<{ lines: string[]; source: string } | null> {
  try {
    const json = JSON.parse(await readFile(join(modelDir, PRETRAIN_RECORD_FILE), 'utf8')) as { config?: Record<string, unknown> };
    const c = json.config ?? {};
    const corpus = c['corpus'];
    if (typeof corpus !== 'string' || !existsSync(corpus)) return null;
    const read = await readCorpus(corpus, typeof c['textColumn'] === 'string' && c['textColumn'] !== '' ? { textColumn: c['textColumn'] } : {});
    const opts = {
      ...(typeof c['heldOutFraction'] === 'number' ? { fraction: c['heldOutFraction'] } : {}),
      ...(typeof c['maxHeldOutLines'] === 'number' ? { max: c['maxHeldOutLines'] } : {}),
    };
    return { lines: [...splitHeldOut(read.lines, typeof c['seed'] === 'number' ? c['seed'] : 0, opts).train], source: corpus };
  } catch {
    return null;
  }
}

export class Rehearsal {
  private batch: LmBatch | null = null;
  private step = 0;

  constructor(
    private readonly view: LmHeadView,
    private readonly blocks: readonly (readonly number[])[],
    private readonly maker: ExampleMaker,
    private readonly weight: number,
    private readonly batchSize: number,
    private readonly seed: number,
  ) {}

  /** Draws step `step`'s batch (blocks and masking depend only on seed and step). Call before the step. */
  prepareStep(step: number): void {
    this.dispose();
    const rng = createRng(mixSeed(this.seed, 0x4e4e, step));
    const examples = Array.from({ length: this.batchSize }, () => this.maker(this.blocks[rng.int(this.blocks.length)] ?? [], rng));
    const c = this.view.base.config;
    this.batch = makeLmBatch(this.view.objective, examples, { pad: c.padTokenId, decoderStart: c.decoderStartTokenId });
    this.step = step;
  }

  /** weight × LM loss of the prepared batch (synchronous tensor code), or null before prepareStep. */
  loss(): Tensor | null {
    if (this.batch === null) return null;
    const opts: ForwardOptions = trainingOptions(mixSeed(this.seed, 0x4e4f), this.step, 0);
    return tf.mul(lmLoss(this.view.current, this.batch, opts), this.weight); // pretraining's own loss
  }

  dispose(): void {
    if (this.batch !== null) disposeLmBatch(this.batch);
    this.batch = null;
  }
}

/** The rehearsal of a run, or null when it is off (or pointless: a frozen encoder cannot forget). */
export async function prepareRehearsal(
  config: FineTuneConfig, view: LmHeadView | null, tokenizer: TextTokenizer, maxLength: number, log: (line: string) => void,
): Promise<Rehearsal | null> {
  const weight = config.mitigations.rehearsal;
  if (weight === 0) return null;
  if (config.strategy === 'features') {
    log('rehearsal skipped: the features strategy never changes the encoder');
    return null;
  }
  if (view === null) {
    throw new UserError(`Rehearsal needs a pretrained model folder whose checkpoint has a language-model head (e.g. saved by transfer-lab pretrain or a *ForMaskedLM / GPT2LMHeadModel); ${config.model} has none. Use --rehearsal 0.`);
  }
  let text = await pretrainingLines(config.model);
  const probe = probePath(config);
  if (text === null && probe !== null) {
    text = { lines: await readProbeLines(probe), source: probe };
    log(`rehearsal replays the probe text ${probe} (no pretraining corpus recorded in pretrain.json): the probe loss is then not held out`);
  }
  if (text === null) throw new UserError(`Rehearsal needs general text: ${config.model} has no pretrain.json naming its corpus and no probe.txt. Give one with --probe FILE.`);
  const seqLength = Math.min(REHEARSAL_SEQ_LENGTH, maxLength, view.base.maxInputLength);
  const blocks = packText(view.objective, tokenizer, text.lines, seqLength);
  if (blocks.length === 0) throw new UserError(`Rehearsal text ${text.source} has no tokens.`);
  log(`rehearsal: weight ${weight} × ${view.objective} loss on ${blocks.length} blocks of ${text.source}`);
  return new Rehearsal(view, blocks, exampleMaker(view.objective, tokenizer), weight, config.batchSize, config.seed);
}
