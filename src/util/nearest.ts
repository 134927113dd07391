/**
 * Edit distance between two strings: each inserted, deleted or replaced character and each swap of two neighbours
 * counts one (optimal string alignment). Gives up, returning `cap`, once the distance cannot be below `cap`.
 */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let before: number[] = [];
  let prev = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
      rowMin = Math.min(rowMin, row[j]);
    }
    // No later row can go below this one's minimum (a swap costs as much as the replacement it stands for).
    if (rowMin >= cap) return cap;
    before = prev;
    prev = row;
  }
  return Math.min(prev[b.length], cap);
}

/**
 * The candidate nearest to `word`, ignoring case, if it is at most `maxDistance` edits away; of equally near
 * ones, the first.
 */
export function nearest(word: string, candidates: Iterable<string>, maxDistance: number): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}
