// Number and text formatting for the Training panel (pure functions, no DOM).

/** 0.9134 -> "91.3%". */
export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** Losses: three decimals, or three significant digits once they get small. */
export function lossText(value: number): string {
  return Math.abs(value) >= 0.01 ? value.toFixed(3) : value.toPrecision(3);
}

/** 192000 -> "3m 12s". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** The last segment of a path written on any OS (the panel has no `path` module). */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter((x) => x !== '');
  return parts[parts.length - 1] ?? p;
}

/** A model as the user chose it: a preset name, or the folder name of a model path. */
export function modelName(model: string): string {
  return /[\\/]/.test(model) ? baseName(model) : model;
}

/** Three significant digits without trailing zeros: 0.000312 -> "0.000312", 1234 -> "1230". */
export function significant(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** Learning rates: 0.0005 -> "5.00e-4". */
export function scientific(value: number): string {
  return value === 0 ? '0' : value.toExponential(2).replace('e+', 'e');
}

/** Axis ticks of small magnitudes: 0.0005 -> "5e-4", 0.5 -> "0.5". */
export function tickText(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs < 1e-3 || abs >= 1e5 ? Number(value.toPrecision(2)).toExponential().replace('e+', 'e') : significant(value);
}

/** Throughput: 1840.4 -> "1,840"; 12.34 -> "12.3". */
export function rateText(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

/** Elapsed seconds on a time axis: 45 -> "45s", 192 -> "3:12", 3723 -> "1:02:03". */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const two = (n: number): string => String(n).padStart(2, '0');
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}:${two(s % 60)}`;
  return `${Math.floor(m / 60)}:${two(m % 60)}:${two(s % 60)}`;
}
