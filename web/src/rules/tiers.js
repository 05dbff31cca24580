// Tiers are listed from the highest down; a "score from" that breaks that order is refused with
// a message at the box (the core would sort the tiers and silently change which is which).
export function tierOrderError(tiers, k) {
  const t = tiers[k];
  const above = tiers.slice(0, k).filter((x) => x.min !== undefined);
  const below = tiers.slice(k + 1).filter((x) => x.min !== undefined);
  if (t.min === undefined)
    return below.length ? `only the last tier can have no lower score: ${below[0].name} comes after it` : null;
  const over = above.at(-1),
    under = below[0];
  if (over && t.min >= over.min) return `must be below ${over.name}'s ${over.min}, the tier above it`;
  if (under && t.min <= under.min) return `must be above ${under.name}'s ${under.min}, the tier below it`;
  return null;
}
