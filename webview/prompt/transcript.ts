// What the Prompt panel keeps across a window reload: the messages that drew its current content,
// compacted (a new request starts over; each generation's pieces are joined into one), and how they
// replay after the reload, when whatever was still running has stopped with the old window. With a
// fine-tuned run beside the base model, a request has two answer columns and two results.
import type { ExtensionToPromptMessage, PanelAnswerRole } from '../messages';

type Piece = Extract<ExtensionToPromptMessage, { type: 'piece' }>;
type GenerationStart = Extract<ExtensionToPromptMessage, { type: 'generationStart' }>;
type Pending = Extract<ExtensionToPromptMessage, { type: 'pending' }>;

/** The generation requests of a start message, by answer column. */
function generationColumns(start: GenerationStart): { readonly role: PanelAnswerRole; readonly requestId: string }[] {
  const fineTuned = start.fineTuned ?? null;
  return [{ role: 'base', requestId: start.requestId }, ...(fineTuned !== null ? [{ role: 'fineTuned' as const, requestId: fineTuned.requestId }] : [])];
}

const pendingRoles = (p: Pending): PanelAnswerRole[] => ((p.fineTuned ?? null) !== null ? ['base', 'fineTuned'] : ['base']);

/** The transcript after `message` was shown. */
export function nextTranscript(transcript: readonly ExtensionToPromptMessage[], message: ExtensionToPromptMessage): ExtensionToPromptMessage[] {
  switch (message.type) {
    case 'generationStart':
    case 'pending':
      return [message]; // a new request
    case 'classification':
    case 'fillMask': {
      // One column's result: beside a fine-tuned column it joins its request; alone it replaces it.
      const first = transcript[0];
      const task = message.type === 'classification' ? 'classify' : 'fillMask';
      return first?.type === 'pending' && first.task === task && pendingRoles(first).length > 1 ? [...transcript, message] : [message];
    }
    case 'piece': {
      const first = transcript[0];
      if (first?.type !== 'generationStart' || !generationColumns(first).some((c) => c.requestId === message.requestId)) return [...transcript]; // a stale generation's piece
      const at = transcript.findIndex((m) => m.type === 'piece' && m.requestId === message.requestId);
      if (at === -1) return [...transcript, message];
      const joined: Piece = { ...(transcript[at] as Piece), piece: (transcript[at] as Piece).piece + message.piece };
      return transcript.map((m, i) => (i === at ? joined : m));
    }
    case 'generationEnd':
    case 'error':
      return [...transcript, message];
  }
}

/** True when every answer column of the transcript's request has its result or its error. */
function finished(transcript: readonly ExtensionToPromptMessage[]): boolean {
  const first = transcript[0];
  if (first === undefined || transcript.some((m) => m.type === 'error' && m.role === undefined)) return true;
  const failed = (role: PanelAnswerRole): boolean => transcript.some((m) => m.type === 'error' && m.role === role);
  if (first.type === 'generationStart') {
    return generationColumns(first).every((c) => failed(c.role) || transcript.some((m) => m.type === 'generationEnd' && m.requestId === c.requestId));
  }
  if (first.type === 'pending') {
    return pendingRoles(first).every((role) => failed(role) || transcript.some((m) => (m.type === 'classification' || m.type === 'fillMask') && (m.role ?? 'base') === role));
  }
  return true;
}

/** The messages to replay after a reload: a request still running then is reported as stopped. */
export function restoredTranscript(transcript: readonly ExtensionToPromptMessage[]): ExtensionToPromptMessage[] {
  if (finished(transcript)) return [...transcript];
  return [...transcript, { type: 'error', message: 'The window was reloaded before this request finished, which stopped it. Run the command again.' }];
}
