/**
 * Errors users can cause (bad dataset, wrong column, unreadable checkpoint). Their message names
 * the file and the fix; the server turns them into error responses, the CLI into one line on
 * stderr and exit code 1 — never a stack trace.
 */
import { TransferLabErrorCode } from './protocol';

/**
 * `message` on one line: line breaks (with the spaces around them) become one space, so a column
 * name, a path or a parser's message that holds a newline cannot split an error in two.
 */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
}

export class UserError extends Error {
  readonly code: TransferLabErrorCode;
  constructor(message: string, code: TransferLabErrorCode = TransferLabErrorCode.UserInput) {
    super(oneLine(message));
    this.name = 'UserError';
    this.code = code;
  }
}

/**
 * True for the ways a tensor backend reports exhausted memory: the WebAssembly heap (4 GB at
 * most) overflowing ("memory access out of bounds", "Aborted()"), V8 refusing a buffer, or a
 * native backend's allocation failure.
 */
export function isOutOfMemory(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /memory access out of bounds|^Aborted\(|Array buffer allocation failed|out of memory|OOM|bad_alloc|Cannot allocate/i.test(message);
}

/** ENOSPC (no space left on the device) or EDQUOT (disk quota exceeded) from a file system call. */
export function isDiskFull(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** The message to show for any thrown value: a UserError's own, a full disk's, else marked as internal. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) return err.message;
  if (isDiskFull(err)) return `The disk is full (${err.code ?? 'ENOSPC'}) writing ${oneLine(err.path ?? 'a file')}. Free space on that disk and try again.`;
  if (err instanceof Error) return `Internal error: ${oneLine(err.message)}`;
  return `Internal error: ${oneLine(String(err))}`;
}
