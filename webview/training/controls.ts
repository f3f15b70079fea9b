// The Training panel's chart settings bar: EMA smoothing slider, log-y toggle, x axis (step or
// elapsed time), and the Compare with… / Export CSV / Export PNG actions. Native inputs with
// labels, so they work from the keyboard and read well in screen readers.
import type { TrainingViewSettings, TrainingXAxis } from '../messages';
import { MAX_SMOOTHING } from '../messages';
import { createButton } from '../ui/toolkit';
import { el } from './dom';

export interface ControlActions {
  readonly onSettings: (change: Partial<TrainingViewSettings>) => void;
  readonly onCompare: () => void;
  readonly onExport: (format: 'csv' | 'png') => void;
}

let ids = 0;
function uniqueId(prefix: string): string {
  return `${prefix}-${++ids}`;
}

export class ChartControls {
  readonly element = el('div', 'controls');
  private readonly smoothing = el('input', 'smoothing');
  private readonly smoothingValue = el('output', 'smoothing-value');
  private readonly logY = el('input', '');
  private readonly xAxis = el('select', 'x-axis');

  constructor(actions: ControlActions) {
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Chart settings');

    const smoothingId = uniqueId('smoothing');
    this.smoothing.id = smoothingId;
    this.smoothing.type = 'range';
    this.smoothing.min = '0';
    this.smoothing.max = String(MAX_SMOOTHING);
    this.smoothing.step = '0.01';
    this.smoothing.title = 'Weight of the past in the exponential moving average of per-step series (0 = raw values)';
    this.smoothingValue.htmlFor.add(smoothingId);
    this.smoothing.addEventListener('input', () => {
      const value = Number(this.smoothing.value);
      this.showSmoothing(value);
      actions.onSettings({ smoothing: value });
    });
    const smoothingLabel = el('label', 'control', 'Smoothing');
    smoothingLabel.htmlFor = smoothingId;
    const smoothingWrap = el('span', 'control');
    smoothingWrap.append(smoothingLabel, this.smoothing, this.smoothingValue);

    this.logY.type = 'checkbox';
    this.logY.addEventListener('change', () => actions.onSettings({ logY: this.logY.checked }));
    const logLabel = el('label', 'control toggle');
    logLabel.title = 'Logarithmic y axis for loss, learning rate, gradient norm and throughput';
    logLabel.append(this.logY, el('span', '', 'Log scale'));

    for (const [value, text] of [['step', 'Step'], ['time', 'Wall time']] as const) {
      const option = el('option', '', text);
      option.value = value;
      this.xAxis.append(option);
    }
    const xId = uniqueId('x-axis');
    this.xAxis.id = xId;
    this.xAxis.addEventListener('change', () => actions.onSettings({ xAxis: this.xAxis.value as TrainingXAxis }));
    const xLabel = el('label', 'control', 'X axis');
    xLabel.htmlFor = xId;
    const xWrap = el('span', 'control');
    xWrap.append(xLabel, this.xAxis);

    const compare = createButton('Compare with…', 'secondary');
    compare.title = 'Overlay other runs of this runs folder';
    compare.addEventListener('click', () => actions.onCompare());
    const csv = createButton('Export CSV', 'secondary');
    csv.title = 'Save every series of the shown runs as a CSV file';
    csv.addEventListener('click', () => actions.onExport('csv'));
    const png = createButton('Export PNG', 'secondary');
    png.title = 'Save the charts as a PNG image';
    png.addEventListener('click', () => actions.onExport('png'));
    const buttons = el('span', 'actions'); // wraps as one group when the panel is narrow
    buttons.append(compare, csv, png);
    this.element.append(smoothingWrap, logLabel, xWrap, buttons);
  }

  /** Shows `settings` (after a restore, or when the extension's state wins). */
  set(settings: TrainingViewSettings): void {
    this.smoothing.value = String(settings.smoothing);
    this.showSmoothing(settings.smoothing);
    this.logY.checked = settings.logY;
    this.xAxis.value = settings.xAxis;
  }

  private showSmoothing(value: number): void {
    this.smoothingValue.textContent = value.toFixed(2);
    this.smoothing.setAttribute('aria-valuetext', value === 0 ? 'off (raw values)' : value.toFixed(2));
  }
}
