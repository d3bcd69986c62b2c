/**
 * AdamW with decoupled weight decay (Loshchilov and Hutter 2019), as PyTorch's `torch.optim.AdamW`
 * computes it, and global-norm gradient clipping.
 */
import { ADAMW_KERNEL } from './kernels/adamw-cpu.js';
import { tf, type Tensor } from './tf.js';

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weight_decay: number;
}

/** Per-parameter moments and the step count; everything a checkpoint needs to resume exactly. */
export class AdamW {
  readonly config: AdamWConfig;
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  private readonly decay: ReadonlySet<string>;

  /** `decay` names the parameters that get weight decay; the rest (norms, biases) do not. */
  constructor(config: AdamWConfig, params: ReadonlyMap<string, tf.Variable>, decay: ReadonlySet<string>) {
    this.config = config;
    this.decay = decay;
    for (const [name, param] of params) {
      this.m.set(name, tf.tidy(() => tf.variable(tf.zerosLike(param), false)));
      this.v.set(name, tf.tidy(() => tf.variable(tf.zerosLike(param), false)));
    }
  }

  /** Applies one update with learning rate `lr` to every parameter that has a gradient. */
  apply(params: ReadonlyMap<string, tf.Variable>, grads: Readonly<Record<string, Tensor>>, lr: number): void {
    this.step += 1;
    const { beta1, beta2, eps, weight_decay } = this.config;
    const biasCorrection1 = 1 - beta1 ** this.step;
    const biasCorrection2 = 1 - beta2 ** this.step;
    const stepSize = lr / biasCorrection1;
    const sqrtBiasCorrection2 = Math.sqrt(biasCorrection2);
    const fused = tf.getKernel(ADAMW_KERNEL, tf.getBackend()) !== undefined;
    for (const [name, param] of params) {
      const grad = grads[name];
      if (!grad) continue;
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      const decayFactor = this.decay.has(name) && weight_decay > 0 ? 1 - lr * weight_decay : 1;
      tf.tidy(() => {
        if (fused) {
          const attrs = { beta1, beta2, eps, decayFactor, stepSize, sqrtBiasCorrection2 };
          const [pNext, mNext, vNext] = tf.engine().runKernel(ADAMW_KERNEL, { param, m, v, grad }, attrs as unknown as tf.NamedAttrMap) as Tensor[];
          m.assign(mNext!);
          v.assign(vNext!);
          param.assign(pNext!);
          return;
        }
        const mNext = tf.add(tf.mul(m, beta1), tf.mul(grad, 1 - beta1));
        const vNext = tf.add(tf.mul(v, beta2), tf.mul(tf.square(grad), 1 - beta2));
        const decayed = decayFactor !== 1 ? tf.mul(param, decayFactor) : param;
        const denom = tf.add(tf.div(tf.sqrt(vNext), sqrtBiasCorrection2), eps);
        m.assign(mNext);
        v.assign(vNext);
        param.assign(tf.sub(decayed, tf.mul(tf.div(mNext, denom), stepSize)));
      });
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}

/** Sum of the squares of all gradient entries, as a scalar tensor that the caller disposes. */
export function squaredGlobalNorm(grads: Record<string, Tensor>): Tensor {
  // Added one at a time, not with addN: the webgpu backend binds every addN input as its own
  // storage buffer, and adapters allow as few as 8 per shader, fewer than a model's parameters.
  return tf.tidy(() => Object.values(grads).map((g) => tf.sum(tf.square(g))).reduce((sum, square) => tf.add(sum, square)));
}

/**
 * Global L2 norm of all gradients, and the gradients scaled down to `maxNorm` when it is
 * exceeded (maxNorm <= 0 disables clipping). The returned tensors are new; the caller disposes them.
 */
export function clipByGlobalNorm(grads: Record<string, Tensor>, maxNorm: number): { grads: Record<string, Tensor>; norm: number } {
  const squared = squaredGlobalNorm(grads);
  const norm = Math.sqrt(squared.dataSync()[0]!);
  squared.dispose();
  return clipToNorm(grads, norm, maxNorm);
}

/** Scales the gradients down to `maxNorm`, given their global `norm` (the second half of `clipByGlobalNorm`). */
export function clipToNorm(grads: Record<string, Tensor>, norm: number, maxNorm: number): { grads: Record<string, Tensor>; norm: number } {
  if (maxNorm <= 0 || norm <= maxNorm || !Number.isFinite(norm)) return { grads, norm };
  const scale = maxNorm / (norm + 1e-6);
  const clipped: Record<string, Tensor> = {};
  for (const [name, g] of Object.entries(grads)) clipped[name] = tf.mul(g, scale);
  return { grads: clipped, norm };
}
