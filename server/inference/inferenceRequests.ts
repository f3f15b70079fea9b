/**
 * The server's inference requests (attention, generation, zero-shot, fill-mask) on cached
 * models. They run on the server's main thread, so they are answered while runs train in their
 * workers; generation checks the request's cancellation between tokens.
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import type { ModelAttention, ModelClassify, ModelFillMask, ModelGenerate } from '../protocol';
import { attentionMaps } from './attentionMaps';
import { fillMask } from './fillMask';
import type { ModelCache } from './modelCache';
import { generateText } from './textGeneration';
import { zeroShotClassify } from './zeroShot';

export class InferenceRequests {
  constructor(private readonly cache: ModelCache) {}

  async attention(p: ModelAttention.Params): Promise<ModelAttention.Result> {
    const { model, tokenizer } = await this.cache.get(p.model);
    return attentionMaps(model, tokenizer, p);
  }

  async generate(p: ModelGenerate.Params, token: CancellationToken, onPiece: (piece: string) => void): Promise<ModelGenerate.Result> {
    const { model, tokenizer } = await this.cache.get(p.model);
    const r = await generateText(model, tokenizer, p.prompt, {
      maxNewTokens: p.maxTokens, temperature: p.temperature, topK: p.topK, topP: p.topP, seed: p.seed, stop: p.stop,
      onText: (piece) => {
        onPiece(piece);
        return token.isCancellationRequested;
      },
    });
    return { ...r, cancelled: token.isCancellationRequested };
  }

  async classify(p: ModelClassify.Params): Promise<ModelClassify.Result> {
    const { model, tokenizer } = await this.cache.get(p.model);
    const r = await zeroShotClassify(model, tokenizer, p.text, p.labels, p.template, p.calibrate);
    return { labels: r.labels, probabilities: r.probabilities, raw: r.raw, template: r.template };
  }

  async fillMask(p: ModelFillMask.Params): Promise<ModelFillMask.Result> {
    const { model, tokenizer } = await this.cache.get(p.model);
    const predictions = await fillMask(model, tokenizer, p.text, p.topK);
    return { predictions: predictions.map((ps) => ps.map(({ token, probability }) => ({ token, probability }))) };
  }
}
