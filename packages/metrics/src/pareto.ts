/** A point to rank: every coordinate is minimised (negate one that is maximised). */
export interface ParetoPoint {
  id: string;
  values: readonly number[];
}

/**
 * Ids of the non-dominated points, in input order: a point is dominated when another is no worse on
 * every coordinate and better on one. Points equal on every coordinate do not dominate each other, so
 * both stay. A point with a NaN coordinate is never on the front.
 */
export function paretoFront(points: readonly ParetoPoint[]): string[] {
  const usable = points.filter((point) => point.values.every((value) => !Number.isNaN(value)));
  return usable
    .filter((point) => !usable.some((other) => other !== point && dominates(other.values, point.values)))
    .map((point) => point.id);
}

function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) strictly = true;
  }
  return strictly;
}
