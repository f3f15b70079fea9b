// What the Prompt panel keeps across a window reload: the messages that drew its current content,
// compacted (a new request starts over; a generation's pieces are joined into one), and how they
// replay after the reload, when whatever was still running has stopped with the old window.
import type { ExtensionToPromptMessage } from '../messages';

type Piece = Extract<ExtensionToPromptMessage, { type: 'piece' }>;

/** The transcript after `message` was shown. */
export function nextTranscript(transcript: readonly ExtensionToPromptMessage[], message: ExtensionToPromptMessage): ExtensionToPromptMessage[] {
  switch (message.type) {
    case 'generationStart':
    case 'pending':
    case 'classification':
    case 'fillMask':
      return [message]; // a new request, or a result that replaces its pending state
    case 'piece': {
      const first = transcript[0];
      if (first?.type !== 'generationStart' || first.requestId !== message.requestId) return [...transcript]; // a stale generation's piece
      const last = transcript.at(-1);
      if (last?.type === 'piece') return [...transcript.slice(0, -1), { ...last, piece: last.piece + message.piece } satisfies Piece];
      return [...transcript, message];
    }
    case 'generationEnd':
    case 'error':
      return [...transcript, message];
  }
}

/** Messages that end a request: after one of them nothing was running. */
const FINISHED: ReadonlySet<ExtensionToPromptMessage['type']> = new Set(['generationEnd', 'error', 'classification', 'fillMask']);

/** The messages to replay after a reload: a request still running then is reported as stopped. */
export function restoredTranscript(transcript: readonly ExtensionToPromptMessage[]): ExtensionToPromptMessage[] {
  if (transcript.length === 0 || transcript.some((m) => FINISHED.has(m.type))) return [...transcript];
  return [...transcript, { type: 'error', message: 'The window was reloaded before this request finished, which stopped it. Run the command again.' }];
}
