/**
 * Checks the shape of request params before a handler runs: JSON-RPC delivers whatever a client
 * sent, so a missing or mistyped field must be a clear UserInput error, never an internal one.
 */
import { UserError } from './errors';

type FieldKind = 'string' | 'number' | 'boolean' | 'object' | 'string[]';

function matches(value: unknown, kind: FieldKind): boolean {
  if (kind === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (kind === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === kind;
}

/** Throws unless `params` is an object whose `required` fields have the given kinds. */
export function checkParams(method: string, params: unknown, required: Readonly<Record<string, FieldKind>>): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new UserError(`Invalid ${method} request: params must be an object.`);
  }
  for (const [key, kind] of Object.entries(required)) {
    const value = (params as Record<string, unknown>)[key];
    if (!matches(value, kind)) throw new UserError(`Invalid ${method} request: "${key}" must be ${kind === 'object' ? 'an object' : `a ${kind}`}, got ${JSON.stringify(value) ?? 'nothing'}.`);
  }
}

/** Wraps a handler with a params check. */
export function validated<P, R>(method: string, required: Readonly<Record<string, FieldKind>>, fn: (params: P) => Promise<R>): (params: P) => Promise<R> {
  return (params: P) => {
    checkParams(method, params, required);
    return fn(params);
  };
}
