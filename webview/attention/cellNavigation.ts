// Keyboard movement over a matrix (the heat map's cells, the layer × head grid): arrow keys move
// one cell, Home / End jump to the row's ends, moves stop at the edges. Pure, for unit tests.

export interface Cell {
  readonly row: number;
  readonly col: number;
}

/**
 * The cell an arrow / Home / End key moves `from` to inside a rows × cols matrix, or undefined
 * for any other key. Moves stop at the edges.
 */
export function moveCell(from: Cell, key: string, rows: number, cols: number): Cell | undefined {
  const clamp = (v: number, n: number): number => Math.max(0, Math.min(n - 1, v));
  switch (key) {
    case 'ArrowUp': return { row: clamp(from.row - 1, rows), col: from.col };
    case 'ArrowDown': return { row: clamp(from.row + 1, rows), col: from.col };
    case 'ArrowLeft': return { row: from.row, col: clamp(from.col - 1, cols) };
    case 'ArrowRight': return { row: from.row, col: clamp(from.col + 1, cols) };
    case 'Home': return { row: from.row, col: 0 };
    case 'End': return { row: from.row, col: clamp(cols - 1, cols) };
    default: return undefined;
  }
}
