// Notebook renderer (contributes.notebookRenderer, built as an ES module into
// dist/webview/renderer.js) for Transfer Lab's two output MIME types: training curves
// (curvesView.ts) and attention maps (attentionView.ts). Every payload is validated first; a bad
// one shows one line saying what is wrong instead of a chart.
import { parseAttention } from './attention';
import { renderAttention } from './attentionView';
import { parseCurves } from './curves';
import { renderCurves } from './curvesView';
import { ATTENTION_MIME, payloadProblem } from './mime';

/** The parts of the renderer API (vscode-notebook-renderer) this renderer uses. */
interface OutputItem {
  readonly mime: string;
  json(): unknown;
}
interface RendererApi {
  renderOutputItem(item: OutputItem, element: HTMLElement): void;
  disposeOutputItem?(id?: string): void;
}

function render(item: OutputItem, element: HTMLElement): void {
  element.replaceChildren();
  try {
    if (item.mime === ATTENTION_MIME) renderAttention(parseAttention(item.json()), element);
    else renderCurves(parseCurves(item.json()), element);
  } catch (error) {
    element.replaceChildren();
    const problem = document.createElement('pre');
    problem.className = 'transfer-lab-problem';
    problem.setAttribute('role', 'alert');
    problem.style.whiteSpace = 'pre-wrap';
    problem.style.color = 'var(--vscode-errorForeground, #f48771)';
    problem.textContent = payloadProblem(item.mime, error);
    element.append(problem);
  }
}

/** Entry point called by VS Code's notebook renderer host. */
export function activate(): RendererApi {
  return { renderOutputItem: render };
}
