// Entry of the Prompt panel bundle (dist/webview/prompt.js): receives generations, rankings and
// fill-mask predictions from the extension and draws them (view.ts).
import './prompt.css';
import { isExtensionToPromptMessage } from '../messages';
import { registerToolkit } from '../ui/toolkit';
import { postToExtension } from './host';
import { PromptView } from './view';

registerToolkit();
const root = document.getElementById('app');
if (root === null) throw new Error('media/panel.html has no #app element');

const view = new PromptView(root, {
  onStop: (requestId) => postToExtension({ type: 'stop', requestId }),
  onChangeModel: (task) => postToExtension({ type: 'changeModel', task }),
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionToPromptMessage(event.data)) view.handle(event.data);
  else console.warn('Transfer Lab: ignored an unknown message', event.data);
});

postToExtension({ type: 'ready' });
