// Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method
// (Golub & Van Loan, Matrix Computations, §8.5): rotate away each off-diagonal
// element in turn until they are all negligible. Quadratically convergent, stable,
// and exact about rank: a positive semi-definite matrix keeps eigenvalues of
// (numerically) zero where its rows are dependent, which is what a score test over
// one-hot features needs (the intercept and a full one-hot group are dependent).
// O(n³) per sweep and a handful of sweeps: nothing for the ~40 parameters of triage.

export interface SymmetricEigen {
  values: number[];
  /** Column j of this row-major matrix is the unit eigenvector of values[j]. */
  vectors: number[][];
}

const MAX_SWEEPS = 100;

export function symmetricEigen(matrix: readonly (readonly number[])[]): SymmetricEigen {
  const n = matrix.length;
  const a = matrix.map((row, i) => {
    if (row.length !== n) throw new RangeError(`row ${i} has ${row.length} entries in a ${n}×${n} matrix`);
    return [...row];
  });
  const v: number[][] = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  const scale = a.reduce((sum, row) => sum + row.reduce((s, x) => s + x * x, 0), 0);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off <= scale * 1e-30 || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        // The rotation (c, s) that zeroes a[p][q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0.
        const tau = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(tau * tau + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]!), vectors: v };
}
