// One answer column of the Prompt panel: a streamed generation, a ranked label list or fill-mask
// predictions of one model. The panel shows one column, or two side by side (the prompt's model
// and the run fine-tuned from it). Every string from data is set with textContent.
import type { PanelAnswerRole, PanelLabelScore, PanelMaskPrediction } from '../messages';
import { liveRate, probabilityText, rateText } from './format';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const ROLE_LABELS: Record<PanelAnswerRole, string> = { base: 'base model', fineTuned: 'fine-tuned' };

/** One row of a probability list: label, a bar as wide as the probability, and the numbers. */
function probabilityRow(rank: number, label: string, probability: number, extra?: string): HTMLElement {
  const row = el('li', rank === 1 ? 'prob-row top' : 'prob-row');
  const bar = el('div', 'bar');
  const fill = el('div', 'bar-fill');
  fill.style.width = `${Math.max(0, Math.min(100, probability * 100))}%`; // CSSOM, allowed by the CSP
  bar.append(fill);
  row.append(el('span', 'rank', String(rank)), el('span', 'prob-label', label), bar, el('span', 'prob-value', probabilityText(probability)));
  if (extra !== undefined) row.append(el('span', 'prob-raw', extra));
  return row;
}

export class AnswerView {
  readonly root: HTMLElement;
  /** The generation streaming into this column, if any. */
  requestId: string | undefined;
  /** tokens/s of the finished generation (0 until then), or the live estimate. */
  rate = 0;
  /** The column has its result (or its error). */
  answered = false;
  private readonly head = el('div', 'answer-head');
  private readonly hint = el('span', 'card-hint');
  private readonly output = el('pre', 'text-block output-text');
  private readonly list = el('div', 'result-list');
  private readonly problem = el('div', 'answer-error');
  private pieces = 0;
  private firstPieceAt: number | undefined;

  /** `compared`: two columns are shown, so this one names its role and model. */
  constructor(readonly role: PanelAnswerRole, model: string, compared: boolean, generating: boolean) {
    this.root = el('div', `answer answer-${role}`);
    this.root.dataset['role'] = role;
    this.head.append(el('span', 'answer-role', ROLE_LABELS[role]), el('span', 'answer-model', model));
    this.head.hidden = !compared;
    this.problem.setAttribute('role', 'alert');
    this.problem.hidden = true;
    this.output.hidden = !generating;
    this.list.hidden = generating;
    // Announces "generating…", "42 tokens", "scoring…" rather than every streamed piece.
    this.hint.setAttribute('aria-live', 'polite');
    const hintRow = el('div', 'answer-hint');
    hintRow.append(this.hint);
    this.root.append(this.head, hintRow, this.problem, this.output, this.list);
  }

  setHint(text: string): void {
    this.hint.textContent = text;
  }

  /** A generation starts: the prompt in grey starts the output block. */
  startGeneration(requestId: string, prompt: string): void {
    this.requestId = requestId;
    this.output.append(el('span', 'prompt-echo', prompt));
    this.output.classList.add('streaming');
    this.setHint('generating… (prompt in grey)');
  }

  appendPiece(piece: string, now: number): void {
    this.firstPieceAt ??= now;
    this.pieces++;
    this.output.append(piece); // a text node: never parsed as HTML
    this.rate = liveRate(this.pieces, this.firstPieceAt, now);
  }

  endGeneration(tokens: number, tokensPerSec: number, cancelled: boolean): void {
    this.output.classList.remove('streaming');
    this.rate = tokensPerSec;
    this.setHint(cancelled ? `stopped after ${tokens} tokens (prompt in grey)` : `${tokens} tokens (prompt in grey)`);
    if (this.pieces === 0) this.output.append(el('span', 'note', cancelled ? ' (stopped before the first token)' : ' (the model generated nothing)'));
    this.requestId = undefined;
    this.answered = true;
  }

  showRanking(ranking: readonly PanelLabelScore[], calibrated: boolean): void {
    this.setHint(calibrated ? 'calibrated probability (raw in grey), most probable first' : 'probability, most probable first');
    const rows = el('ol', 'prob-list');
    ranking.forEach((r, i) => rows.append(probabilityRow(i + 1, r.label, r.probability, calibrated ? `raw ${probabilityText(r.raw)}` : undefined)));
    this.list.replaceChildren(rows);
    this.answered = true;
  }

  showPredictions(predictions: readonly (readonly PanelMaskPrediction[])[]): void {
    this.setHint(predictions.length === 1 ? 'most probable first' : `${predictions.length} masks, in text order`);
    const groups = predictions.map((ps, i) => {
      const group = el('div', 'mask-group');
      if (predictions.length > 1) group.append(el('h3', 'mask-title', `Mask ${i + 1}`));
      const rows = el('ol', 'prob-list');
      ps.forEach((p, j) => rows.append(probabilityRow(j + 1, p.token, p.probability)));
      group.append(rows);
      return group;
    });
    this.list.replaceChildren(...groups);
    this.answered = true;
  }

  /** The command failed (the panel's error box says why): keep what arrived, say "failed". */
  fail(): void {
    this.output.classList.remove('streaming');
    this.requestId = undefined;
    this.answered = true;
    this.setHint('failed');
  }

  /** This column's request failed (the other column keeps its answer). */
  showError(message: string): void {
    this.fail();
    this.problem.textContent = message;
    this.problem.hidden = false;
  }

  /** "12.3 tokens/s", or "–" before anything was measured. */
  rateText(): string {
    return rateText(this.rate);
  }
}
