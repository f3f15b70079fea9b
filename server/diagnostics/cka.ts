/**
 * Linear centered kernel alignment (CKA) between two representations of the same n examples.
 * Kornblith, Norouzi, Lee & Hinton, "Similarity of Neural Network Representations Revisited",
 * ICML 2019, eq. (5) in its feature-space form: CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F · ‖YᵀY‖_F), X and Y column-centred.
 */

/** A row-major matrix: `rows` examples (n) of `cols` features (d). */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/** A Matrix from nested rows (tests, small literal cases). */
export function matrix(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== cols)) throw new Error('matrix: every row needs the same number of columns');
  return { rows: rows.length, cols, data: rows.flat() };
}

function assertShape(m: Matrix, what: string): void {
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`${what}: data holds ${m.data.length} numbers, expected rows·cols = ${m.rows}·${m.cols}`);
  }
}

/** Subtracts each column's mean over the rows (the centring matrix H = I − 11ᵀ/n applied on the left). */
export function centerColumns(m: Matrix): Float64Array {
  assertShape(m, 'centerColumns');
  const { rows, cols } = m;
  const out = Float64Array.from(m.data);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] = (mean[c] ?? 0) + (out[r * cols + c] ?? 0) / rows;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = (out[r * cols + c] ?? 0) - (mean[c] ?? 0);
  return out;
}

/** ‖AᵀB‖²_F for row-major A [n, p] and B [n, q] (cost n·p·q). */
export function crossFrobeniusSq(a: ArrayLike<number>, p: number, b: ArrayLike<number>, q: number, n: number): number {
  if (a.length !== n * p || b.length !== n * q) throw new Error(`crossFrobeniusSq: expected A [${n}, ${p}] and B [${n}, ${q}]`);
  const product = new Float64Array(p * q); // AᵀB: [p, n]·[n, q] -> [p, q]
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) {
      const ari = a[r * p + i] ?? 0;
      if (ari === 0) continue;
      for (let j = 0; j < q; j++) product[i * q + j] = (product[i * q + j] ?? 0) + ari * (b[r * q + j] ?? 0);
    }
  }
  let sum = 0;
  for (const v of product) sum += v * v;
  return sum;
}

/**
 * CKA from its three products: ‖YᵀX‖²_F / (‖XᵀX‖_F · ‖YᵀY‖_F). A constant representation
 * (zero after centring) shares no structure with anything, so its CKA is reported as 0.
 */
export function ckaFromProducts(crossSq: number, xxNorm: number, yyNorm: number): number {
  const denominator = xxNorm * yyNorm;
  if (!(denominator > 0)) return 0;
  return Math.min(1, Math.max(0, crossSq / denominator)); // Cauchy–Schwarz bounds it to [0, 1]; clamp rounding
}

/**
 * Linear CKA between X [n, d1] and Y [n, d2] (same n examples, in the same order); both are
 * centred here. 1 for identical representations, invariant to orthogonal transforms and
 * isotropic scaling of either, in [0, 1]. Float64 throughout; cost n·(d1² + d2² + d1·d2).
 */
export function linearCka(x: Matrix, y: Matrix): number {
  assertShape(x, 'linearCka X');
  assertShape(y, 'linearCka Y');
  if (x.rows !== y.rows) throw new Error(`linearCka: X has ${x.rows} rows and Y ${y.rows}; both must hold the same examples`);
  if (x.rows < 2) throw new Error('linearCka: needs at least 2 examples');
  const n = x.rows;
  const xc = centerColumns(x);
  const yc = centerColumns(y);
  const crossSq = crossFrobeniusSq(yc, y.cols, xc, x.cols, n);
  const xxNorm = Math.sqrt(crossFrobeniusSq(xc, x.cols, xc, x.cols, n));
  const yyNorm = Math.sqrt(crossFrobeniusSq(yc, y.cols, yc, y.cols, n));
  return ckaFromProducts(crossSq, xxNorm, yyNorm);
}
