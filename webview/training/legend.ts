// The run legend above the charts while runs are compared: each run's colour, letter, dataset,
// id, model and strategy, and a button that drops a compared run. Data set with textContent.
import type { PanelRunInfo } from '../messages';
import { runTag } from './chartSpecs';
import { el } from './dom';
import { baseName, modelName } from './format';

export class RunLegend {
  readonly element = el('ul', 'run-legend');

  constructor(private readonly onRemove: (runId: string) => void) {
    this.element.setAttribute('aria-label', 'Compared runs');
  }

  /** `runs` in legend order (the panel's own run first) with their colours; hidden for one run. */
  render(runs: readonly PanelRunInfo[], colors: readonly string[]): void {
    this.element.hidden = runs.length < 2;
    this.element.replaceChildren(...runs.map((run, i) => this.item(run, i, colors[i] ?? '')));
  }

  private item(run: PanelRunInfo, index: number, color: string): HTMLElement {
    const item = el('li', 'run-item');
    item.dataset['runId'] = run.runId;
    const swatch = el('span', 'run-swatch');
    swatch.style.setProperty('--run-color', color); // CSSOM, allowed by the CSP
    swatch.setAttribute('aria-hidden', 'true');
    const tag = el('span', 'run-tag', runTag(index));
    const name = el('span', 'run-label', `${baseName(run.config.dataset)} · ${run.runId}`);
    name.title = run.runDir;
    const details = [modelName(run.config.model), run.config.strategy ?? '', run.state].filter((d) => d !== '').join(' · ');
    item.append(swatch, tag, name, el('span', 'run-meta', details));
    if (index === 0) {
      item.append(el('span', 'run-own', 'this run'));
    } else {
      const remove = el('button', 'run-remove', '×');
      remove.type = 'button';
      remove.title = `Remove ${run.runId} from the comparison`;
      remove.setAttribute('aria-label', `Remove run ${runTag(index)}, ${run.runId}, from the comparison`);
      remove.addEventListener('click', () => this.onRemove(run.runId));
      item.append(remove);
    }
    return item;
  }
}
