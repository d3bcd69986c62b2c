/** Compares two strings by UTF-16 code units, so the order does not depend on the locale. */
export function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
