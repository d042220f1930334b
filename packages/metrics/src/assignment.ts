import { describeValue } from '@sparling/errors';
import { fail, MotifInputError } from './errors.js';

/**
 * An optimal assignment: row `rowIndices[k]` is matched with column `columnIndices[k]`, rows in
 * increasing order; `total` is the sum of the matched entries. With R rows and C columns,
 * min(R, C) pairs are matched.
 *
 * @example
 * ```ts
 * const a: Assignment = { rowIndices: [0, 1], columnIndices: [1, 0], total: 7 };
 * ```
 */
export interface Assignment {
  readonly rowIndices: number[];
  readonly columnIndices: number[];
  readonly total: number;
}

/**
 * Solves the rectangular linear sum assignment problem exactly, like scipy's
 * `linear_sum_assignment`: every row (or every column, whichever are fewer) is matched with a
 * distinct column (row) so the total is minimal, or maximal with `maximize`. Shortest augmenting
 * paths with potentials (Jonker–Volgenant as described by Crouse 2016), O(n³).
 *
 * @param matrix - R×C finite numbers (rows may not be ragged).
 * @param options.maximize - default `false`.
 * @throws {@link MotifInputError} when the matrix is ragged or has a non-finite entry.
 * @example
 * ```ts
 * linearSumAssignment([[1, 0, 1], [0, 1, 0]], { maximize: true }).total; // 2
 * ```
 */
export function linearSumAssignment(matrix: readonly (readonly number[])[], options: { maximize?: boolean } = {}): Assignment {
  const where = 'linearSumAssignment';
  if (!Array.isArray(matrix)) fail('matrix', 'an array of rows', matrix, where);
  const rows = matrix.length;
  const cols = rows === 0 ? 0 : (matrix[0]?.length ?? 0);
  matrix.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) fail(`matrix[${i}]`, `a row of ${cols} numbers like matrix[0]`, row, where);
    row.forEach((v: unknown, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new MotifInputError(`matrix[${i}][${j}]`, `expected a finite number, received ${describeValue(v)}`, where);
      }
    });
  });
  if (rows === 0 || cols === 0) return { rowIndices: [], columnIndices: [], total: 0 };
  const sign = options.maximize ? -1 : 1;
  // The solver needs rows <= columns; solve the transpose otherwise.
  const transposed = rows > cols;
  const nr = transposed ? cols : rows;
  const nc = transposed ? rows : cols;
  const cost = new Float64Array(nr * nc);
  for (let i = 0; i < rows; i++) {
    const row = matrix[i]!;
    for (let j = 0; j < cols; j++) {
      cost[transposed ? j * nc + i : i * nc + j] = sign * row[j]!;
    }
  }
  const colForRow = solveRowsToColumns(cost, nr, nc);
  const pairs: [number, number][] = [];
  for (let i = 0; i < nr; i++) pairs.push(transposed ? [colForRow[i]!, i] : [i, colForRow[i]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [i, j] of pairs) total += matrix[i]![j]!;
  return { rowIndices: pairs.map((p) => p[0]), columnIndices: pairs.map((p) => p[1]), total };
}

/** Minimum-cost assignment of each of `nr` rows to a distinct one of `nc >= nr` columns. */
function solveRowsToColumns(cost: Float64Array, nr: number, nc: number): Int32Array {
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const colForRow = new Int32Array(nr).fill(-1);
  const rowForCol = new Int32Array(nc).fill(-1);
  const scannedRow = new Uint8Array(nr);
  const scannedCol = new Uint8Array(nc);
  const remaining = new Int32Array(nc);
  for (let current = 0; current < nr; current++) {
    // Dijkstra-like search for the shortest augmenting path from row `current`.
    let minVal = 0;
    let numRemaining = nc;
    for (let k = 0; k < nc; k++) remaining[k] = nc - k - 1;
    scannedRow.fill(0);
    scannedCol.fill(0);
    shortest.fill(Infinity);
    let sink = -1;
    let i = current;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      scannedRow[i] = 1;
      for (let k = 0; k < numRemaining; k++) {
        const j = remaining[k]!;
        const r = minVal + cost[i * nc + j]! - u[i]! - v[j]!;
        if (r < shortest[j]!) {
          path[j] = i;
          shortest[j] = r;
        }
        // Prefer an unassigned column on ties: it ends the path sooner.
        if (shortest[j]! < lowest || (shortest[j] === lowest && rowForCol[j] === -1)) {
          lowest = shortest[j]!;
          index = k;
        }
      }
      minVal = lowest;
      const j = remaining[index]!;
      if (rowForCol[j] === -1) sink = j;
      else i = rowForCol[j]!;
      scannedCol[j] = 1;
      remaining[index] = remaining[--numRemaining]!;
    }
    // Update the potentials, then flip the assignments along the path.
    u[current] = u[current]! + minVal;
    for (let r = 0; r < nr; r++) {
      if (scannedRow[r] === 1 && r !== current) u[r] = u[r]! + (minVal - shortest[colForRow[r]!]!);
    }
    for (let c = 0; c < nc; c++) {
      if (scannedCol[c] === 1) v[c] = v[c]! - (minVal - shortest[c]!);
    }
    let j = sink;
    for (;;) {
      const r = path[j]!;
      rowForCol[j] = r;
      const previous = colForRow[r]!;
      colForRow[r] = j;
      j = previous;
      if (r === current) break;
    }
  }
  return colForRow;
}
