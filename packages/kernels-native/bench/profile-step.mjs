// Legend: B batch, T sequence, D model width, H heads, K head dim (D / H), F FFN width, V vocabulary, N = B*T.
// Times and profiles (tf.profile, per kernel) training steps of a pre-norm LLaMA-style decoder
// written with plain tfjs ops. The step has a gather embedding, RMSNorm, RoPE, causal attention,
// SwiGLU, [N, D] x [D, V] logits, cross-entropy, tf.variableGrads and an SGD update.
//
// Usage: node bench/profile-step.mjs [--kernels native|stock|stock+segsum] [--fused-ce]
//          [--d 128] [--layers 4] [--heads 4] [--batch 16] [--seq 128] [--vocab 50257]
//          [--steps 3] [--top 15] [--by-shape]
// --kernels stock+segsum keeps every stock kernel except UnsortedSegmentSum, whose stock
// version loops once per vocabulary row and takes hours per step at V = 50257.
// --by-shape also lists the slowest kernels per input shapes.
// --fused-ce computes the loss with the ArchzooSoftmaxCrossEntropy kernel pair instead of
// logSumExp and a one-hot product.
import * as tf from '@tensorflow/tfjs';

import { kernels } from './load-dist.mjs';

function parseArgs(argv) {
  const options = { kernels: 'native', fusedCe: false, byShape: false, d: 128, layers: 4, heads: 4, batch: 16, seq: 128, vocab: 50257, steps: 3, top: 15 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--fused-ce') options.fusedCe = true;
    else if (flag === '--by-shape') options.byShape = true;
    else if (flag === '--kernels') options.kernels = argv[++i];
    else if (flag.startsWith('--') && flag.slice(2) in options) options[flag.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown argument ${flag}; see the usage comment at the top of bench/profile-step.mjs`);
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const { d: D, layers, heads: H, batch: B, seq: T, vocab: V } = options;
const K = D / H;
// SwiGLU width: 8D/3 rounded up to a multiple of 32, as LLaMA sizes it (4D * 2/3).
const F = Math.ceil((8 * D) / 3 / 32) * 32;
const N = B * T;

await tf.setBackend('cpu');
if (options.kernels !== 'stock') {
  const status = kernels.loadNativeAddon();
  if (!status.ok) throw new Error(status.reason);
  const only = options.kernels === 'stock+segsum' ? { kernels: ['UnsortedSegmentSum'] } : {};
  const { registered } = kernels.registerNativeKernels(tf, 'cpu', only);
  console.log(`native kernels (${status.blas}, gemm threads ${status.threads}, elementwise threads ${status.elementwiseThreads}): ${registered.length}`);
}

let seed = 1;
const init = (shape, scale) => tf.variable(tf.randomNormal(shape, 0, scale, 'float32', seed++));
const params = {
  embedding: init([V, D], 0.02),
  finalNorm: tf.variable(tf.ones([D])),
  output: init([D, V], 0.02),
  blocks: Array.from({ length: layers }, () => ({
    attnNorm: tf.variable(tf.ones([D])),
    wq: init([D, D], 0.02),
    wk: init([D, D], 0.02),
    wv: init([D, D], 0.02),
    wo: init([D, D], 0.02 / Math.sqrt(2 * layers)),
    mlpNorm: tf.variable(tf.ones([D])),
    w1: init([D, F], 0.02),
    w3: init([D, F], 0.02),
    w2: init([F, D], 0.02 / Math.sqrt(2 * layers)),
  })),
};
const paramCount = tf.util.sizeFromShape([1]) * 0 + [params.embedding, params.finalNorm, params.output, ...params.blocks.flatMap(Object.values)]
  .reduce((sum, v) => sum + v.size, 0);

// RoPE tables [T, K/2] and the additive causal mask [T, T].
const half = K / 2;
const angles = tf.tidy(() => {
  const inv = tf.pow(10000, tf.div(tf.range(0, half), -half));
  return tf.mul(tf.expandDims(tf.range(0, T), 1), tf.expandDims(inv, 0));
});
const cosTK = tf.keep(tf.cos(angles));
const sinTK = tf.keep(tf.sin(angles));
const maskTT = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9));

function rmsNorm(xND, weightD) {
  const rms = tf.rsqrt(tf.add(tf.mean(tf.square(xND), -1, true), 1e-6));
  return tf.mul(tf.mul(xND, rms), weightD);
}

// [B, H, T, K] -> rotated pairs (first half, second half) of each head.
function rope(xBHTK) {
  const x1 = tf.slice(xBHTK, [0, 0, 0, 0], [B, H, T, half]);
  const x2 = tf.slice(xBHTK, [0, 0, 0, half], [B, H, T, half]);
  return tf.concat([tf.sub(tf.mul(x1, cosTK), tf.mul(x2, sinTK)), tf.add(tf.mul(x2, cosTK), tf.mul(x1, sinTK))], -1);
}

function toHeads(xND) {
  return tf.transpose(tf.reshape(xND, [B, T, H, K]), [0, 2, 1, 3]);
}

function block(xND, p) {
  const h = rmsNorm(xND, p.attnNorm);
  const q = rope(toHeads(tf.matMul(h, p.wq)));
  const k = rope(toHeads(tf.matMul(h, p.wk)));
  const v = toHeads(tf.matMul(h, p.wv));
  const scoresBHTT = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(K)), maskTT);
  const attnBHTK = tf.matMul(tf.softmax(scoresBHTT), v);
  const attnND = tf.reshape(tf.transpose(attnBHTK, [0, 2, 1, 3]), [N, D]);
  const x1 = tf.add(xND, tf.matMul(attnND, p.wo));
  const h2 = rmsNorm(x1, p.mlpNorm);
  const gate = tf.matMul(h2, p.w1);
  const silu = tf.mul(gate, tf.sigmoid(gate));
  return tf.add(x1, tf.matMul(tf.mul(silu, tf.matMul(h2, p.w3)), p.w2));
}

function crossEntropy(logitsNV, labelsN) {
  if (options.fusedCe) {
    const op = tf.customGrad((logits, save) => {
      const [lossN, lseN] = tf.engine().runKernel('ArchzooSoftmaxCrossEntropy', { logits, labels: labelsN });
      save([logits, lseN]);
      return {
        value: lossN,
        gradFunc: (dy, [savedLogits, savedLse]) =>
          tf.engine().runKernel('ArchzooSoftmaxCrossEntropyGrad', {
            logits: savedLogits,
            labels: labelsN,
            logsumexp: savedLse,
            dLoss: dy,
            dLogsumexp: tf.zerosLike(dy),
          }),
      };
    });
    return tf.mean(op(logitsNV));
  }
  const lseN = tf.logSumExp(logitsNV, 1);
  const pickedN = tf.sum(tf.mul(logitsNV, tf.cast(tf.oneHot(labelsN, V), 'float32')), 1);
  return tf.mean(tf.sub(lseN, pickedN));
}

function loss(tokensBT, labelsN) {
  let xND = tf.reshape(tf.gather(params.embedding, tokensBT), [N, D]);
  for (const p of params.blocks) xND = block(xND, p);
  const logitsNV = tf.matMul(rmsNorm(xND, params.finalNorm), params.output);
  return crossEntropy(logitsNV, labelsN);
}

function step(tokensBT, labelsN) {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => loss(tokensBT, labelsN));
    for (const [name, grad] of Object.entries(grads)) {
      const variable = tf.engine().registeredVariables[name];
      variable.assign(tf.sub(variable, tf.mul(grad, 0.1)));
    }
    return value;
  });
}

const tokensBT = tf.randomUniform([B, T], 0, V, 'int32', 7);
const labelsN = tf.randomUniform([N], 0, V, 'int32', 8);
console.log(`config: D=${D} layers=${layers} H=${H} F=${F} B=${B} T=${T} V=${V} params=${(paramCount / 1e6).toFixed(2)}M kernels=${options.kernels}${options.fusedCe ? ' fused-ce' : ''}`);

const stepMs = [];
let lastLoss = NaN;
for (let i = 0; i < options.steps; i++) {
  const start = performance.now();
  const value = step(tokensBT, labelsN);
  lastLoss = value.dataSync()[0];
  value.dispose();
  stepMs.push(performance.now() - start);
  console.log(`step ${i}: ${stepMs[i].toFixed(0)} ms, loss ${lastLoss.toFixed(4)}, tensors ${tf.memory().numTensors}`);
}
const timed = stepMs.length > 1 ? stepMs.slice(1) : stepMs;
console.log(`mean step time${stepMs.length > 1 ? ' (after the first step)' : ''}: ${(timed.reduce((a, b) => a + b, 0) / timed.length).toFixed(0)} ms`);

const profileStart = performance.now();
const profile = await tf.profile(() => {
  step(tokensBT, labelsN).dispose();
});
const profiledMs = performance.now() - profileStart;
const byKernel = new Map();
for (const kernel of profile.kernels) {
  const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
  entry.ms += kernel.kernelTimeMs;
  entry.calls += 1;
  byKernel.set(kernel.name, entry);
}
const total = [...byKernel.values()].reduce((sum, entry) => sum + entry.ms, 0);
console.log(`profiled step: ${profiledMs.toFixed(0)} ms wall, ${total.toFixed(0)} ms inside kernels`);
console.log('| kernel | calls | ms | share |\n|---|---|---|---|');
for (const [name, entry] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, options.top)) {
  console.log(`| ${name} | ${entry.calls} | ${entry.ms.toFixed(1)} | ${((100 * entry.ms) / total).toFixed(1)}% |`);
}

if (options.byShape) {
  const byShape = new Map();
  for (const kernel of profile.kernels) {
    const key = `${kernel.name} ${JSON.stringify(kernel.inputShapes)}`;
    const entry = byShape.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += kernel.kernelTimeMs;
    entry.calls += 1;
    byShape.set(key, entry);
  }
  console.log('| kernel and input shapes | calls | ms |\n|---|---|---|');
  for (const [key, entry] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, options.top)) {
    console.log(`| ${key} | ${entry.calls} | ${entry.ms.toFixed(1)} |`);
  }
}
