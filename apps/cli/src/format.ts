/** Number, size and duration formatting shared by the console output and the report. */

/** 6738415616 -> "6,738,415,616". */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 6738415616 -> "6.74B"; below a thousand the plain number. */
export function formatCompact(value: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(value) >= size) return `${(value / size).toFixed(2)}${suffix}`;
  }
  return String(Math.round(value));
}

/** Binary units: 1536 -> "1.50 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(2)} ${units[unit]}`;
}

/** Seconds -> "1h02m", "9m12s" or "42s"; a non-finite value (no estimate yet) -> "?". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

/** A loss in nats/token with 4 decimals, or "n/a" when there is none (NaN). */
export function formatLoss(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'n/a';
}
