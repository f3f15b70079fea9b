// Entry of the Prompt panel bundle (dist/webview/prompt.js): receives generations, rankings and
// fill-mask predictions from the extension and draws them (view.ts); what it shows is saved with
// setState and drawn again after a window reload (transcript.ts).
import './prompt.css';
import { isExtensionToPromptMessage, parsePromptPanelState, type ExtensionToPromptMessage } from '../messages';
import { registerToolkit } from '../ui/toolkit';
import { postToExtension, savedState, saveState } from './host';
import { nextTranscript, restoredTranscript } from './transcript';
import { PromptView } from './view';

/** Pieces stream many times a second: their transcript is saved at most this often. */
const PIECE_SAVE_MS = 500;

registerToolkit();
const root = document.getElementById('app');
if (root === null) throw new Error('media/panel.html has no #app element');

const view = new PromptView(root, {
  onStop: (requestId) => postToExtension({ type: 'stop', requestId }),
  onChangeModel: (task) => postToExtension({ type: 'changeModel', task }),
});

let transcript: ExtensionToPromptMessage[] = restoredTranscript(parsePromptPanelState(savedState())?.transcript ?? []);
for (const message of transcript) view.handle(message);
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = undefined;
  saveState({ panel: 'prompt', transcript });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isExtensionToPromptMessage(event.data)) {
    console.warn('Transfer Lab: ignored an unknown message', event.data);
    return;
  }
  view.handle(event.data);
  transcript = nextTranscript(transcript, event.data);
  if (event.data.type !== 'piece') save();
  else saveTimer ??= setTimeout(save, PIECE_SAVE_MS);
});

save();
postToExtension({ type: 'ready' });
