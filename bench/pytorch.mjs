/**
 * The PyTorch side of the benchmarks: makes sure Debian's python3-torch and the pthread OpenBLAS
 * are installed, then drives `pytorch_models.py serve` as one long-lived child process that
 * replies to JSON requests, so Python and torch start-up are never timed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { REPO_ROOT } from './archzoo.mjs';

/** Debian's interpreter, because the `python3` on PATH may be another Python without torch. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const APT_PACKAGES = ['python3-torch', 'libopenblas0-pthread'];

function succeeds(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs python3-torch and libopenblas0-pthread with apt-get when either is missing. Installing
 * needs root, so as another user a missing package raises an error that gives the command to run.
 */
export function ensurePyTorch(log) {
  const missing = APT_PACKAGES.filter((name) => !isInstalled(name));
  const torchImports = succeeds(SYSTEM_PYTHON, ['-c', 'import torch']);
  if (missing.length === 0 && torchImports) return;
  const needed = missing.length ? missing : ['python3-torch'];
  if (process.getuid?.() !== 0) {
    throw new Error(`PyTorch is not usable from ${SYSTEM_PYTHON} (missing: ${needed.join(', ')}); run \`apt-get install -y ${APT_PACKAGES.join(' ')}\` as root`);
  }
  // NOTE: this install path has not run on the benchmark machine, where both packages were installed.
  log(`installing ${needed.join(', ')} with apt-get`);
  const install = () => execFileSync('apt-get', ['install', '-y', ...APT_PACKAGES], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    install();
  } catch {
    // A fresh container has no package lists yet.
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    install();
  }
  if (!succeeds(SYSTEM_PYTHON, ['-c', 'import torch'])) throw new Error(`${SYSTEM_PYTHON} still cannot import torch after installing ${APT_PACKAGES.join(' ')}`);
}

function isInstalled(name) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'install ok installed';
  } catch {
    return false;
  }
}

/** Starts the worker. `request(body)` sends one JSON request and resolves with its reply. */
export function startPyTorchWorker() {
  const child = spawn(SYSTEM_PYTHON, [join(REPO_ROOT, 'bench', 'pytorch_models.py'), 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on('exit', (code) => {
    for (const pending of waiting.splice(0)) pending.reject(new Error(`the PyTorch worker exited with code ${code}`));
  });
  return {
    async request(body) {
      const reply = await new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${JSON.stringify(body)}\n`);
      });
      if (!reply.ok) throw new Error(`PyTorch worker request ${body.op} failed: ${reply.error}`);
      return reply;
    },
    close() {
      child.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
    },
  };
}
