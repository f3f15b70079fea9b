/** Typed reads of Hugging Face config.json keys, with messages naming the file and the key. */
import { UserError } from '../errors';

export class ConfigReader {
  constructor(readonly json: Readonly<Record<string, unknown>>, readonly source: string) {}

  /** A required number; `fallback` makes it optional (HF's default for the key). */
  num(key: string, fallback?: number): number {
    const v = this.json[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new UserError(`${this.source} is missing the required key "${key}". Re-export the model with save_pretrained.`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${this.source}: "${key}" must be a number, got ${JSON.stringify(v)}.`);
    return v;
  }

  int(key: string, fallback?: number): number {
    const v = this.num(key, fallback);
    if (!Number.isInteger(v) || v < 0) throw new UserError(`${this.source}: "${key}" must be a non-negative integer, got ${v}.`);
    return v;
  }

  /** First present key among aliases (HF renamed some keys across versions). */
  intOf(keys: readonly string[], fallback?: number): number {
    const present = keys.find((k) => this.json[k] !== undefined && this.json[k] !== null);
    return this.int(present ?? (keys[0] as string), fallback);
  }

  optionalInt(key: string): number | null {
    const v = this.json[key];
    return v === undefined || v === null ? null : this.int(key);
  }

  str(key: string, fallback: string): string {
    const v = this.json[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') throw new UserError(`${this.source}: "${key}" must be a string, got ${JSON.stringify(v)}.`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.json[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw new UserError(`${this.source}: "${key}" must be true or false, got ${JSON.stringify(v)}.`);
    return v;
  }

  /** id2label as an ordered list of names (empty when absent). */
  labels(): string[] {
    const id2label = this.json['id2label'];
    if (typeof id2label !== 'object' || id2label === null) return [];
    return Object.entries(id2label as Record<string, unknown>)
      .map(([k, v]) => [Number(k), String(v)] as const)
      .filter(([k]) => Number.isInteger(k))
      .sort((a, b) => a[0] - b[0])
      .map(([, v]) => v);
  }
}

export function positiveCheck(values: Record<string, number>, source: string): void {
  for (const [key, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v <= 0) throw new UserError(`${source}: ${key} must be a positive integer, got ${v}.`);
  }
}
