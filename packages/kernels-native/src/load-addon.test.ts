import { afterEach, describe, expect, it } from 'vitest';

import { ELEMENTWISE_MAX_THREADS, GEMM_MAX_THREADS, loadNativeAddon, POOL_MAX_MB, readNativeSettings } from './load-addon.js';
import { DEFAULT_POOL_MB } from './pool.js';

describe('readNativeSettings', () => {
  it('accepts valid values', () => {
    const settings = readNativeSettings({
      ARCHZOO_KERNELS_GEMM_THREADS: '2',
      ARCHZOO_KERNELS_THREADS: '64',
      ARCHZOO_KERNELS_MALLOC: 'default',
      ARCHZOO_KERNELS_POOL_MB: '0',
    });
    expect(settings).toEqual({ gemmThreads: 2, elementwiseThreads: 64, mallocMode: 'default', poolMegabytes: 0 });
  });

  it('treats unset and empty values as defaults', () => {
    for (const env of [{}, { ARCHZOO_KERNELS_GEMM_THREADS: '', ARCHZOO_KERNELS_THREADS: '', ARCHZOO_KERNELS_MALLOC: '', ARCHZOO_KERNELS_POOL_MB: '' }]) {
      const settings = readNativeSettings(env);
      expect('error' in settings).toBe(false);
      if ('error' in settings) continue;
      expect(settings.gemmThreads).toBeGreaterThanOrEqual(1);
      expect(settings.gemmThreads).toBeLessThanOrEqual(GEMM_MAX_THREADS);
      expect(settings.elementwiseThreads).toBeGreaterThanOrEqual(1);
      expect(settings.elementwiseThreads).toBeLessThanOrEqual(4);
      expect(settings.mallocMode).toBe('tuned');
      expect(settings.poolMegabytes).toBe(DEFAULT_POOL_MB);
    }
  });

  it.each([
    ['ARCHZOO_KERNELS_GEMM_THREADS', '1000000', `ARCHZOO_KERNELS_GEMM_THREADS "1000000" is invalid; set it to an integer from 1 to ${GEMM_MAX_THREADS}, or unset it to use one per core`],
    ['ARCHZOO_KERNELS_GEMM_THREADS', '0', 'ARCHZOO_KERNELS_GEMM_THREADS "0" is invalid; set it to an integer from 1 to 256'],
    ['ARCHZOO_KERNELS_GEMM_THREADS', '1.5', 'ARCHZOO_KERNELS_GEMM_THREADS "1.5" is invalid'],
    ['ARCHZOO_KERNELS_THREADS', 'four', `ARCHZOO_KERNELS_THREADS "four" is invalid; set it to an integer from 1 to ${ELEMENTWISE_MAX_THREADS}, or unset it to use one per core, at most 4`],
    ['ARCHZOO_KERNELS_THREADS', '65', 'ARCHZOO_KERNELS_THREADS "65" is invalid; set it to an integer from 1 to 64'],
    ['ARCHZOO_KERNELS_MALLOC', 'off', 'ARCHZOO_KERNELS_MALLOC "off" is invalid; set it to tuned or default, or unset it to tune malloc'],
    ['ARCHZOO_KERNELS_POOL_MB', '-1', `ARCHZOO_KERNELS_POOL_MB "-1" is invalid; set it to an integer from 0 to ${POOL_MAX_MB}, or unset it to use ${DEFAULT_POOL_MB} MiB`],
    ['ARCHZOO_KERNELS_POOL_MB', '2GB', 'ARCHZOO_KERNELS_POOL_MB "2GB" is invalid; set it to an integer from 0 to 1048576'],
    ['ARCHZOO_KERNELS_POOL_MB', ' ', 'ARCHZOO_KERNELS_POOL_MB " " is invalid'],
    ['ARCHZOO_KERNELS_POOL_MB', '1e3', 'ARCHZOO_KERNELS_POOL_MB "1e3" is invalid'],
    ['ARCHZOO_KERNELS_GEMM_THREADS', '0x2', 'ARCHZOO_KERNELS_GEMM_THREADS "0x2" is invalid'],
    ['ARCHZOO_KERNELS_THREADS', '+2', 'ARCHZOO_KERNELS_THREADS "+2" is invalid'],
  ])('rejects %s=%s', (name, value, message) => {
    const settings = readNativeSettings({ [name]: value });
    expect(settings).toHaveProperty('error');
    const { error } = settings as { error: string };
    expect(error.startsWith(message)).toBe(true);
    expect(error).not.toContain('\n');
  });
});

describe('loadNativeAddon configuration', () => {
  const saved = process.env.ARCHZOO_KERNELS_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.ARCHZOO_KERNELS_THREADS;
    else process.env.ARCHZOO_KERNELS_THREADS = saved;
  });

  it('flags an invalid variable as a configuration error', () => {
    process.env.ARCHZOO_KERNELS_THREADS = '1000000';
    const status = loadNativeAddon();
    expect(status).toEqual({
      ok: false,
      configError: true,
      reason: 'ARCHZOO_KERNELS_THREADS "1000000" is invalid; set it to an integer from 1 to 64, or unset it to use one per core, at most 4',
    });
  });

  it('recovers once the variable is fixed', () => {
    process.env.ARCHZOO_KERNELS_THREADS = 'x';
    expect(loadNativeAddon()).toMatchObject({ ok: false, configError: true });
    delete process.env.ARCHZOO_KERNELS_THREADS;
    const status = loadNativeAddon();
    if (!status.ok) expect(status.configError).toBe(false);
  });
});
