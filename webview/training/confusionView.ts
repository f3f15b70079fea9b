// The confusion-matrix card: an evaluation picker and the matrix as a table (true classes as row
// headers, predicted classes as column headers), counts in the cells, shaded by the share of
// their row. Class names are text (textContent); each cell's aria-label reads it out in words.
import { el } from './dom';
import { cellDescription, MAX_CONFUSION_CLASSES, type ConfusionTable } from './confusion';
import { percent } from './format';

let ids = 0;

export class ConfusionView {
  readonly card = el('section', 'chart-card confusion-card');
  private readonly picker = el('select', 'confusion-step');
  private readonly hint = el('span', 'chart-hint');
  private readonly body = el('div', 'confusion-body');
  private shownSteps = '';

  /** `onStep(step)` when the user picks an evaluation; null means "the latest". */
  constructor(onStep: (step: number | null) => void) {
    const head = el('div', 'chart-head');
    const title = el('h2', 'chart-title', 'Confusion matrix');
    title.id = `confusion-title-${++ids}`;
    const label = el('label', 'control', 'Evaluation');
    this.picker.id = `confusion-step-${ids}`;
    label.htmlFor = this.picker.id;
    this.picker.addEventListener('change', () => onStep(this.picker.value === 'latest' ? null : Number(this.picker.value)));
    head.append(title, el('span', 'spacer'), label, this.picker);
    this.card.setAttribute('aria-labelledby', title.id);
    this.card.append(head, this.hint, this.body);
  }

  /**
   * Shows `table` (undefined: the card is hidden) chosen among evaluations at `steps`; `picked`
   * is the user's choice (null = latest).
   */
  render(table: ConfusionTable | undefined, steps: readonly number[], picked: number | null): void {
    this.card.hidden = table === undefined;
    if (table === undefined) return;
    this.renderPicker(steps, picked);
    const n = table.labels.length;
    this.hint.textContent = `step ${table.step} (epoch ${table.epoch}) · ${table.correct} of ${table.total} correct (${percent(table.total > 0 ? table.correct / table.total : 0)}) · rows: true class, columns: predicted, shade: share of the row`;
    if (n > MAX_CONFUSION_CLASSES) {
      this.body.replaceChildren(el('p', 'chart-hint', `${n} classes: too many to show here. Every evaluation's matrix is in the run's metrics.jsonl.`));
      return;
    }
    this.body.replaceChildren(this.table(table));
    this.body.dataset['step'] = String(table.step);
  }

  private renderPicker(steps: readonly number[], picked: number | null): void {
    const key = steps.join(',');
    if (key !== this.shownSteps) {
      this.shownSteps = key;
      const latest = el('option', '', 'Latest');
      latest.value = 'latest';
      const options = steps.map((s) => {
        const o = el('option', '', `Step ${s}`);
        o.value = String(s);
        return o;
      });
      this.picker.replaceChildren(latest, ...options.reverse());
    }
    this.picker.value = picked !== null && steps.includes(picked) ? String(picked) : 'latest';
  }

  private table(t: ConfusionTable): HTMLTableElement {
    const table = el('table', 'confusion');
    table.append(el('caption', 'visually-hidden', `Confusion matrix at step ${t.step}: rows are true classes, columns predicted classes, cells count validation examples.`));
    const head = el('thead', '');
    const headRow = el('tr', '');
    const corner = el('th', 'corner', 'true ↓ predicted →');
    corner.scope = 'col';
    headRow.append(corner);
    for (const label of t.labels) {
      const th = el('th', 'col-head', label);
      th.scope = 'col';
      th.title = `predicted ${label}`;
      headRow.append(th);
    }
    const total = el('th', 'col-head total', 'total');
    total.scope = 'col';
    headRow.append(total);
    head.append(headRow);
    const body = el('tbody', '');
    t.labels.forEach((label, r) => {
      const row = el('tr', '');
      const th = el('th', 'row-head', label);
      th.scope = 'row';
      th.title = `true ${label}`;
      row.append(th);
      t.labels.forEach((_, c) => {
        const share = t.shares[r]?.[c] ?? 0;
        const td = el('td', r === c ? 'cell diag' : 'cell', String(t.counts[r]?.[c] ?? 0));
        td.style.setProperty('--share', share.toFixed(3)); // CSSOM, allowed by the CSP
        if (share >= 0.5) td.classList.add('strong');
        const words = cellDescription(t, r, c);
        td.setAttribute('aria-label', words);
        td.title = words;
        row.append(td);
      });
      row.append(el('td', 'cell total', String(t.rowTotals[r] ?? 0)));
      body.append(row);
    });
    table.append(head, body);
    return table;
  }
}
