/**
 * Turns thrown errors into JSON-RPC error responses: a UserError keeps its code and message;
 * anything else becomes an Internal error whose message says it is a bug. Never a crash.
 */
import { ResponseError } from 'vscode-languageserver/node';
import { TransferLabErrorCode } from './protocol';
import { describeError, UserError } from './errors';

export function toResponseError(err: unknown): ResponseError<void> {
  if (err instanceof ResponseError) return err as ResponseError<void>;
  const code = err instanceof UserError ? err.code : TransferLabErrorCode.Internal;
  return new ResponseError(code, describeError(err));
}

/** Wraps a request handler so that every failure is an error response. */
export function handled<P, R>(fn: (params: P) => Promise<R>): (params: P) => Promise<R | ResponseError<void>> {
  return async (params: P) => {
    try {
      return await fn(params);
    } catch (err) {
      return toResponseError(err);
    }
  };
}
