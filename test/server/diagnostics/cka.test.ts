/** Linear CKA (Kornblith et al., 2019) against a case worked by hand and its defining invariances. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ckaFromProducts, crossFrobeniusSq, linearCka, matrix, type Matrix } from '../../../server/diagnostics/cka';
import { createRng } from '../../../server/random';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return { rows, cols, data: Array.from({ length: rows * cols }, () => rng.normal()) };
}

/** X·M for X [n, p] and M [p, q]. */
function times(x: Matrix, m: readonly (readonly number[])[]): Matrix {
  const q = m[0]?.length ?? 0;
  const data = new Float64Array(x.rows * q);
  for (let r = 0; r < x.rows; r++) for (let j = 0; j < q; j++) for (let i = 0; i < x.cols; i++) data[r * q + j] = (data[r * q + j] ?? 0) + (x.data[r * x.cols + i] ?? 0) * (m[i]?.[j] ?? 0);
  return { rows: x.rows, cols: q, data };
}

const scale = (x: Matrix, s: number): Matrix => ({ ...x, data: Array.from(x.data, (v) => v * s) });

/** A 3×3 rotation: about z by a, then about x by b. */
function rotation(a: number, b: number): number[][] {
  const z = [[Math.cos(a), -Math.sin(a), 0], [Math.sin(a), Math.cos(a), 0], [0, 0, 1]];
  const x = [[1, 0, 0], [0, Math.cos(b), -Math.sin(b)], [0, Math.sin(b), Math.cos(b)]];
  return z.map((row) => [0, 1, 2].map((j) => row.reduce((s, v, k) => s + v * (x[k]?.[j] ?? 0), 0)));
}

test('a small case by hand: X = [1;2;3], Y = [[1,0],[0,1],[2,2]] gives √10/4', () => {
  // Centred: X = [-1, 0, 1]ᵀ, Y = [[0,-1],[-1,0],[1,1]]. YᵀX = [1, 2] → ‖·‖² = 5.
  // XᵀX = 2; YᵀY = [[2,1],[1,2]] → ‖·‖_F = √10. CKA = 5 / (2·√10) = √10/4.
  close(linearCka(matrix([[1], [2], [3]]), matrix([[1, 0], [0, 1], [2, 2]])), Math.sqrt(10) / 4);
});

test('‖AᵀB‖²_F of a literal pair', () => {
  // A = [[1,2],[3,4]], B = [[1],[1]]: AᵀB = [4, 6]ᵀ → 16 + 36.
  assert.equal(crossFrobeniusSq([1, 2, 3, 4], 2, [1, 1], 1, 2), 52);
});

test('CKA(X, X) = 1, and CKA is symmetric and within [0, 1]', () => {
  const x = randomMatrix(20, 5, 1);
  const y = randomMatrix(20, 7, 2);
  close(linearCka(x, x), 1);
  close(linearCka(x, y), linearCka(y, x));
  const v = linearCka(x, y);
  assert.ok(v > 0 && v < 1, `${v}`);
});

test('invariant to orthogonal transforms, isotropic scaling and translation; not to anisotropic scaling', () => {
  const x = randomMatrix(25, 3, 3);
  const z = randomMatrix(25, 4, 4);
  const base = linearCka(z, x);
  close(linearCka(x, times(x, rotation(0.7, -1.3))), 1);
  close(linearCka(z, times(x, rotation(0.7, -1.3))), base);
  close(linearCka(z, scale(x, 3.5)), base);
  close(linearCka(z, { ...x, data: Array.from(x.data, (v, i) => v + [10, -4, 2][i % 3]!) }), base);
  assert.ok(Math.abs(linearCka(z, times(x, [[1, 0, 0], [0, 10, 0], [0, 0, 1]])) - base) > 1e-3);
});

test('a constant representation has CKA 0; mismatched examples are refused', () => {
  assert.equal(linearCka(matrix([[1, 2], [1, 2], [1, 2]]), matrix([[1], [2], [4]])), 0);
  assert.equal(ckaFromProducts(1, 0, 2), 0);
  assert.throws(() => linearCka(matrix([[1], [2]]), matrix([[1], [2], [3]])), /same examples/);
  assert.throws(() => linearCka({ rows: 2, cols: 2, data: [1, 2, 3] }, matrix([[1], [2]])), /rows·cols/);
});
