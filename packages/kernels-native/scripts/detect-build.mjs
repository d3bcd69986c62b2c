// Prints one build setting for binding.gyp: `blas` -> openblas|builtin, `simd` -> avx2|none.
// Environment overrides: ARCHZOO_KERNELS_BLAS=builtin|openblas, ARCHZOO_KERNELS_SIMD=none|avx2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function compiles(source, extraArgs) {
  const dir = mkdtempSync(join(tmpdir(), 'archzoo-detect-'));
  try {
    const file = join(dir, 'probe.cc');
    writeFileSync(file, source);
    const compiler = process.env.CXX || 'g++';
    const result = spawnSync(compiler, [file, '-o', join(dir, 'probe'), ...extraArgs], {
      stdio: 'ignore',
    });
    return result.status === 0;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function detectBlas() {
  const forced = process.env.ARCHZOO_KERNELS_BLAS;
  if (forced === 'builtin' || forced === 'openblas') return forced;
  const probe =
    'extern "C" void openblas_set_num_threads(int);\n' +
    'extern "C" void cblas_sgemm(int,int,int,int,int,int,float,const float*,int,const float*,int,float,float*,int);\n' +
    'int main() { openblas_set_num_threads(1); float a = 1, b = 1, c = 0;\n' +
    '  cblas_sgemm(101, 111, 111, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, &c, 1); return c == 1.0f ? 0 : 1; }\n';
  return compiles(probe, ['-lopenblas']) ? 'openblas' : 'builtin';
}

function cpuHasAvx2() {
  try {
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
    const set = new Set(flags.trim().split(/\s+/));
    return set.has('avx2') && set.has('fma');
  } catch {
    return false;
  }
}

function detectSimd() {
  const forced = process.env.ARCHZOO_KERNELS_SIMD;
  if (forced === 'none' || forced === 'avx2') return forced;
  if (process.arch !== 'x64' || !cpuHasAvx2()) return 'none';
  return compiles('int main() { return 0; }\n', ['-mavx2', '-mfma']) ? 'avx2' : 'none';
}

const setting = process.argv[2];
if (setting === 'blas') process.stdout.write(detectBlas());
else if (setting === 'simd') process.stdout.write(detectSimd());
else {
  process.stderr.write(`detect-build.mjs: expected "blas" or "simd", got ${JSON.stringify(setting)}\n`);
  process.exit(2);
}
