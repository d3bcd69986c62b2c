/**
 * Learning-rate schedules as pure functions of the step (0-based).
 */
export interface ScheduleConfig {
  /** 'cosine': linear warmup then cosine decay to min_lr; 'wsd': warmup, constant, then linear
   * decay over the last `decay_fraction` of steps; 'constant': warmup then constant. */
  kind: 'cosine' | 'wsd' | 'constant';
  lr: number;
  min_lr: number;
  warmup_steps: number;
  total_steps: number;
  /** Fraction of steps spent decaying under 'wsd'. */
  decay_fraction?: number;
}

export function learningRate(schedule: ScheduleConfig, step: number): number {
  const { lr, min_lr, warmup_steps, total_steps } = schedule;
  if (step < warmup_steps) return (lr * (step + 1)) / warmup_steps;
  if (schedule.kind === 'constant') return lr;
  if (schedule.kind === 'wsd') {
    const decaySteps = Math.max(1, Math.round(total_steps * (schedule.decay_fraction ?? 0.2)));
    const decayStart = total_steps - decaySteps;
    if (step < decayStart) return lr;
    return lr + (min_lr - lr) * Math.min(1, (step - decayStart + 1) / decaySteps);
  }
  const span = Math.max(1, total_steps - warmup_steps);
  const progress = Math.min(1, (step - warmup_steps) / span);
  return min_lr + 0.5 * (lr - min_lr) * (1 + Math.cos(Math.PI * progress));
}
