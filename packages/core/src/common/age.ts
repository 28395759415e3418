/** Age in whole years on `on` (default today), from a date of birth or an age estimated when the record was made. */
export function ageOf(
  p: { dateOfBirth?: string; estimatedAge?: number; timeCreated?: string },
  on: Date = new Date(),
): number | undefined {
  if (p.dateOfBirth) {
    const b = new Date(`${p.dateOfBirth}T00:00:00Z`);
    let age = on.getUTCFullYear() - b.getUTCFullYear();
    const m = on.getUTCMonth() - b.getUTCMonth();
    if (m < 0 || (m === 0 && on.getUTCDate() < b.getUTCDate())) age--;
    return age;
  }
  if (p.estimatedAge === undefined) return undefined;
  const at = p.timeCreated ? new Date(p.timeCreated) : on;
  return p.estimatedAge + Math.max(0, on.getUTCFullYear() - at.getUTCFullYear());
}

export const isChild = (p: Parameters<typeof ageOf>[0], on?: Date) => {
  const a = ageOf(p, on);
  return a !== undefined && a < 18;
};
