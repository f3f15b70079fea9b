// Number and text formatting for the Prompt panel (pure functions, no DOM; unit-tested in
// test/webview/promptFormat.test.ts).
import type { PanelSamplingSettings } from '../messages';

/** 0.9134 -> "91.3%"; tiny values keep two significant digits ("0.042%"). */
export function probabilityText(p: number): string {
  const pct = p * 100;
  if (pct !== 0 && Math.abs(pct) < 0.1) return `${Number(pct.toPrecision(2))}%`;
  return `${pct.toFixed(1)}%`;
}

/** The sampling settings as one line: "max 64 tokens · temperature 0.7 · top-k off · top-p 0.9 · seed 0". */
export function settingsText(s: PanelSamplingSettings): string {
  return [
    `max ${s.maxTokens} tokens`,
    s.temperature === 0 ? 'greedy' : `temperature ${s.temperature}`,
    s.topK === 0 ? 'top-k off' : `top-k ${s.topK}`,
    s.topP >= 1 ? 'top-p off' : `top-p ${s.topP}`,
    `seed ${s.seed}`,
  ].join(' · ');
}

/** 12.345 -> "12.3 tokens/s"; nothing measured -> "–". */
export function rateText(tokensPerSec: number): string {
  if (!Number.isFinite(tokensPerSec) || tokensPerSec <= 0) return '–';
  return `${tokensPerSec >= 100 ? Math.round(tokensPerSec) : tokensPerSec.toFixed(1)} tokens/s`;
}

/** Pieces received over the time since the first one, as a live estimate before the final count. */
export function liveRate(pieces: number, firstPieceAt: number | undefined, now: number): number {
  if (firstPieceAt === undefined || pieces < 2 || now <= firstPieceAt) return 0;
  return ((pieces - 1) * 1000) / (now - firstPieceAt);
}
