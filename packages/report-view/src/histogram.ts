/** Counts of values per bin; bin i holds edges[i] ≤ v < edges[i + 1] (the last bin includes its end). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** `bins` equal bins from 0 to `max` rounded up to a whole number (at least 1). */
export function histogramEdges(max: number, bins: number): number[] {
  const top = Math.max(1, Math.ceil(max));
  return Array.from({ length: bins + 1 }, (_, i) => (top * i) / bins);
}

export function histogram(values: readonly number[], edges: readonly number[]): Histogram {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const low = edges[0]!;
  const width = (edges[bins]! - low) / bins;
  for (const value of values) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((value - low) / width)));
    counts[bin]!++;
  }
  return { edges: [...edges], counts };
}
