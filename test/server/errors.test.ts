/** Error helpers: one-line messages and recognising a backend's out-of-memory failures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeError, isOutOfMemory, oneLine, UserError } from '../../server/errors';

test('out-of-memory failures of every backend are recognised, other errors are not', () => {
  for (const m of ['memory access out of bounds', 'Aborted(). Build with -sASSERTIONS for more info.', 'Array buffer allocation failed', 'OOM when allocating tensor']) {
    assert.ok(isOutOfMemory(new Error(m)), m);
  }
  assert.ok(!isOutOfMemory(new Error('data.csv has no column "x"')));
});

test('messages stay on one line; internal errors say so', () => {
  assert.equal(oneLine('a\n  b\r\nc'), 'a b c');
  assert.equal(new UserError('bad\nfile').message, 'bad file');
  assert.equal(describeError(new Error('boom')), 'Internal error: boom');
});
