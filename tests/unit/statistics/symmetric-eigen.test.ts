// The Jacobi eigen-decomposition behind the score test's pseudo-inverse: checked by
// what any decomposition must satisfy (A = V Λ Vᵀ, VᵀV = I), by a 2×2 case solved by
// hand, and by the rank a one-hot design must show (the intercept and a full one-hot
// group are dependent: exactly one zero eigenvalue).
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../src/statistics/symmetric-eigen.js';
import { mulberry32 } from '../../support/synthetic-population.js';

function reconstruct(values: readonly number[], vectors: readonly (readonly number[])[]): number[][] {
  const n = values.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => values.reduce((sum, value, k) => sum + vectors[i]![k]! * value * vectors[j]![k]!, 0)),
  );
}

function expectMatrixClose(actual: readonly (readonly number[])[], expected: readonly (readonly number[])[], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  for (const [i, row] of actual.entries()) {
    for (const [j, value] of row.entries()) expect(Math.abs(value - expected[i]![j]!), `[${i}][${j}]`).toBeLessThan(tolerance);
  }
}

const identity = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const transposeTimes = (v: readonly (readonly number[])[]) => v.map((_, i) => v.map((__, j) => v.reduce((sum, row) => sum + row[i]! * row[j]!, 0)));

describe('symmetricEigen', () => {
  it('solves [[2, 1], [1, 2]] as by hand: eigenvalues 1 and 3, eigenvectors (1, ∓1)/√2', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    const order = values.map((_, j) => j).sort((a, b) => values[a]! - values[b]!);
    expect(values[order[0]!]).toBeCloseTo(1, 14);
    expect(values[order[1]!]).toBeCloseTo(3, 14);
    const small = vectors.map((row) => row[order[0]!]!);
    const large = vectors.map((row) => row[order[1]!]!);
    expect(Math.abs(small[0]! + small[1]!)).toBeLessThan(1e-14);
    expect(Math.abs(large[0]! - large[1]!)).toBeLessThan(1e-14);
    expect(Math.abs(large[0]!)).toBeCloseTo(Math.SQRT1_2, 14);
  });

  it('reconstructs a random symmetric matrix as V Λ Vᵀ with V orthonormal', () => {
    const random = mulberry32(7);
    const n = 12;
    const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const value = random() * 4 - 2;
        a[i]![j] = value;
        a[j]![i] = value;
      }
    }
    const { values, vectors } = symmetricEigen(a);
    expectMatrixClose(reconstruct(values, vectors), a, 1e-12);
    expectMatrixClose(transposeTimes(vectors), identity(n), 1e-13);
    // The trace is the sum of the eigenvalues.
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(
      a.reduce((s, row, i) => s + row[i]!, 0),
      12,
    );
  });

  it('finds the one dependent direction of an intercept and a full one-hot group (a PSD Gram matrix of rank 3 in 4 columns)', () => {
    // Columns: intercept, group:a, group:b, group:c; rows of the design: 5 a-leads, 3 b-leads, 2 c-leads.
    // Gram matrix XᵀX: the intercept column is the sum of the group columns.
    const gram = [
      [10, 5, 3, 2],
      [5, 5, 0, 0],
      [3, 0, 3, 0],
      [2, 0, 0, 2],
    ];
    const { values, vectors } = symmetricEigen(gram);
    const largest = Math.max(...values);
    const nullDirections = values.map((value, j) => [value, j] as const).filter(([value]) => Math.abs(value) < largest * 1e-12);
    expect(nullDirections).toHaveLength(1);
    expect(values.filter((value) => value > largest * 1e-9)).toHaveLength(3);
    // The null vector is (1, −1, −1, −1)/2 up to sign.
    const j = nullDirections[0]![1];
    const v = vectors.map((row) => row[j]!);
    const sign = Math.sign(v[0]!);
    for (const [i, expected] of [0.5, -0.5, -0.5, -0.5].entries()) expect(sign * v[i]!).toBeCloseTo(expected, 12);
    expectMatrixClose(reconstruct(values, vectors), gram, 1e-12);
  });

  it('returns a diagonal matrix unchanged with the identity as eigenvectors', () => {
    const { values, vectors } = symmetricEigen([
      [3, 0, 0],
      [0, -1, 0],
      [0, 0, 0],
    ]);
    expect(values).toEqual([3, -1, 0]);
    expect(vectors).toEqual(identity(3));
  });

  it('handles the empty matrix and rejects a non-square one', () => {
    expect(symmetricEigen([])).toEqual({ values: [], vectors: [] });
    expect(() =>
      symmetricEigen([
        [1, 2, 3],
        [2, 1, 0],
      ]),
    ).toThrow(RangeError);
    expect(() => symmetricEigen([[1, 2], [2]])).toThrow(RangeError);
  });
});
