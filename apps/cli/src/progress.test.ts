import { describe, expect, it } from 'vitest';

import { createProgress } from './progress.js';
import type { OutputStream } from './io.js';

function stream(isTTY: boolean): OutputStream & { text: string } {
  const out = {
    text: '',
    isTTY,
    write(text: string) {
      out.text += text;
      return true;
    },
  };
  return out;
}

describe('createProgress', () => {
  it('prints plain lines every log interval off a terminal', () => {
    const out = stream(false);
    let clock = 0;
    const progress = createProgress(out, { totalSteps: 6, logInterval: 3, now: () => clock });
    for (let step = 1; step <= 6; step++) {
      clock = step * 1000;
      progress.step(step, 5 - step * 0.1, 800);
    }
    progress.record({ step: 6, 'val/loss': 4.25 });
    progress.finish();
    expect(out.text.split('\n')).toEqual([
      'step 1/6 loss 4.9000 tok/s 800 eta 5s',
      'step 3/6 loss 4.7000 tok/s 800 eta 3s',
      'step 6/6 loss 4.4000 tok/s 800 eta 0s',
      'step 6/6 val/loss 4.2500',
      '',
    ]);
  });

  it('redraws one bar line on a terminal', () => {
    const out = stream(true);
    let clock = 0;
    const progress = createProgress(out, { totalSteps: 4, logInterval: 2, now: () => clock });
    for (let step = 1; step <= 4; step++) {
      clock = step * 60_000;
      progress.step(step, 3, 1000);
    }
    progress.finish();
    expect(out.text).not.toContain('\n[');
    expect(out.text.endsWith('\n')).toBe(true);
    const frames = out.text.trimEnd().split('\r\x1b[K').filter(Boolean);
    expect(frames).toHaveLength(4);
    expect(frames[0]).toBe('[######..................] step 1/4 loss 3.0000 tok/s 1000 eta 3m00s');
    expect(frames[3]).toBe('[########################] step 4/4 loss 3.0000 tok/s 1000 eta 0s');
  });

  it('skips redraws closer than 100 ms except the last step', () => {
    const out = stream(true);
    const progress = createProgress(out, { totalSteps: 3, logInterval: 1, now: () => 0 });
    progress.step(1, 3, 10);
    progress.step(2, 3, 10);
    progress.step(3, 3, 10);
    expect(out.text.split('\r\x1b[K').filter(Boolean)).toHaveLength(2);
  });
});
