/** Small helpers shared by the benchmark scripts. */
import { cpus, loadavg } from 'node:os';
import { availableParallelism } from 'node:os';

/** Returns the median of a non-empty list of numbers. */
export function median(values) {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Reads `--name value` and `--flag` arguments against `defaults`. An unknown flag raises an error. */
export function parseFlags(argv, defaults, usage) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(name in defaults)) throw new Error(`unknown argument ${argv[i]}; usage: ${usage}`);
    if (typeof defaults[name] === 'boolean') {
      options[name] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value; usage: ${usage}`);
    options[name] = typeof defaults[name] === 'number' ? Number(value) : value;
    if (typeof defaults[name] === 'number' && !Number.isFinite(options[name])) throw new Error(`--${name} must be a number, got "${value}"`);
  }
  return options;
}

/** Returns the CPU model, core count and 1-minute load average, which shows how busy the machine was. */
export function machineInfo() {
  const list = cpus();
  return { cpu: list[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), loadavg1: loadavg()[0], node: process.version };
}

/** Formats rows (arrays of strings) as a left-aligned plain-text table under `header`. */
export function formatTable(header, rows) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Formats a number with three significant digits, or as an integer from 100 up. */
export function sig3(value) {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}
