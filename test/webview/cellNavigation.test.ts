// Keyboard movement over the attention heat map and the layer × head grid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moveCell } from '../../webview/attention/cellNavigation';

test('arrow keys move one cell and stop at the edges; Home and End jump to the row\'s ends', () => {
  const from = { row: 1, col: 1 };
  assert.deepEqual(moveCell(from, 'ArrowUp', 3, 4), { row: 0, col: 1 });
  assert.deepEqual(moveCell(from, 'ArrowDown', 3, 4), { row: 2, col: 1 });
  assert.deepEqual(moveCell(from, 'ArrowLeft', 3, 4), { row: 1, col: 0 });
  assert.deepEqual(moveCell(from, 'ArrowRight', 3, 4), { row: 1, col: 2 });
  assert.deepEqual(moveCell({ row: 0, col: 0 }, 'ArrowUp', 3, 4), { row: 0, col: 0 });
  assert.deepEqual(moveCell({ row: 2, col: 3 }, 'ArrowRight', 3, 4), { row: 2, col: 3 });
  assert.deepEqual(moveCell(from, 'Home', 3, 4), { row: 1, col: 0 });
  assert.deepEqual(moveCell(from, 'End', 3, 4), { row: 1, col: 3 });
  assert.equal(moveCell(from, 'a', 3, 4), undefined);
  assert.equal(moveCell(from, 'Tab', 3, 4), undefined, 'Tab leaves the map');
});
