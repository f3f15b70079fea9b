// Long inputs drawn small: a map is pooled down to at most the pixels it gets (a thumbnail, or a
// compared heat map narrower than one pixel a token) before colouring. Max pooling by magnitude,
// so a sharp attention peak (or a large difference of either sign) survives. Pure.

export interface Pooled {
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * `matrix` [rows, cols] reduced to at most [maxRows, maxCols]: each output cell holds the value of
 * largest magnitude in its block (sign kept, so difference maps pool too). Small maps come back as is.
 */
export function poolMatrix(matrix: ArrayLike<number>, rows: number, cols: number, maxRows: number, maxCols = maxRows): Pooled {
  if (rows <= maxRows && cols <= maxCols) return { values: Float32Array.from(matrix), rows, cols };
  const outRows = Math.max(1, Math.min(rows, maxRows));
  const outCols = Math.max(1, Math.min(cols, maxCols));
  const values = new Float32Array(outRows * outCols);
  for (let r = 0; r < outRows; r++) {
    const r0 = Math.floor((r * rows) / outRows);
    const r1 = Math.floor(((r + 1) * rows) / outRows);
    for (let c = 0; c < outCols; c++) {
      const c0 = Math.floor((c * cols) / outCols);
      const c1 = Math.floor(((c + 1) * cols) / outCols);
      let best = 0;
      for (let i = r0; i < r1; i++) {
        for (let j = c0; j < c1; j++) {
          const v = matrix[i * cols + j]!;
          if (Math.abs(v) > Math.abs(best)) best = v;
        }
      }
      values[r * outCols + c] = best;
    }
  }
  return { values, rows: outRows, cols: outCols };
}
