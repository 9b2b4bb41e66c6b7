/** Throws a RangeError naming the first column whose length differs from the first column's; returns the length. */
export function requireColumnLengths(columns: Readonly<Record<string, ArrayLike<number>>>): number {
  let expected = -1;
  let expectedName = '';
  for (const [name, column] of Object.entries(columns)) {
    if (expected < 0) {
      expected = column.length;
      expectedName = name;
    } else if (column.length !== expected) {
      throw new RangeError(`${name} has ${column.length} entries but ${expectedName} has ${expected}`);
    }
  }
  return Math.max(expected, 0);
}
