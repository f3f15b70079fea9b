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
