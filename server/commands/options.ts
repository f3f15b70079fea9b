/** Option parsers shared by the CLI's commands (commander calls them with the raw string). */
import { InvalidArgumentError } from 'commander';
import { BACKEND_CHAIN, type BackendPreference } from '../protocol';

export function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer.`);
    return n;
  };
}

export function float(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number.`);
    return n;
  };
}

/** "2,5,9" → [2, 5, 9] */
export function intList(name: string) {
  return (v: string): number[] => {
    const parts = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const ids = parts.map(Number);
    if (ids.length === 0 || ids.some((n) => !Number.isInteger(n))) throw new InvalidArgumentError(`${name} must be comma-separated integers, e.g. 2,5,9.`);
    return ids;
  };
}

export function backendOption(v: string): BackendPreference {
  if (v === 'auto' || (BACKEND_CHAIN as readonly string[]).includes(v)) return v as BackendPreference;
  throw new InvalidArgumentError(`--backend must be one of auto, ${BACKEND_CHAIN.join(', ')}.`);
}

export const BACKEND_HELP = `auto | ${BACKEND_CHAIN.join(' | ')}`;
