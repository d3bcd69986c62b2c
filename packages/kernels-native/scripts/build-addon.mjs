// Install step: builds the N-API addon with node-gyp, offline against the local Node
// headers. Installation never fails because of it: on any problem this prints one line
// and exits 0, and archzoo keeps using the stock JavaScript kernels.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const logPath = join(packageDir, 'build-error.log');
const verbose = process.argv.includes('--verbose');
const notice = '@archzoo/kernels-native:';

function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a dependency here; try the copies bundled with pnpm and npm below
  }
  const prefix = resolve(dirname(process.execPath), '..');
  candidates.push(join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  candidates.push(join(prefix, 'lib/node_modules/pnpm/dist/node_modules/node-gyp/bin/node-gyp.js'));
  return candidates.find((candidate) => candidate.endsWith('.js') && existsSync(candidate));
}

// node-gyp downloads headers unless --nodedir points at a prefix that contains
// include/node, which is where Node installs its own headers.
function findNodeDir() {
  const configured = process.env.npm_config_nodedir;
  if (configured && existsSync(join(configured, 'include/node/node_api.h'))) return configured;
  const prefix = resolve(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include/node/node_api.h'))) return prefix;
  return undefined;
}

const REBUILD = 'then run `pnpm rebuild @archzoo/kernels-native`';

// Prints the one-line notice (what failed, then the fix) and ends the install step successfully.
function skip(reason, fix) {
  const advice = fix ? ` To build them, ${fix}.` : '';
  console.log(`${notice} native kernels not built: ${reason}.${advice} The stock TensorFlow.js cpu kernels stay in use.`);
  process.exit(0);
}

if (process.env.ARCHZOO_KERNELS_SKIP_BUILD === '1') skip('ARCHZOO_KERNELS_SKIP_BUILD=1 is set');

const nodeGyp = findNodeGyp();
if (!nodeGyp) skip('node-gyp was not found', `install it with \`npm install -g node-gyp\`, ${REBUILD}`);

const nodeDir = findNodeDir();
if (!nodeDir) {
  skip('the Node headers (include/node/node_api.h) were not found', `point \`npm config set nodedir\` at the Node prefix that contains them, ${REBUILD}`);
}

// Concurrent installs (several pnpm processes, or pnpm install beside a turbo build) would run
// node-gyp in the same build/ folder, so builds take turns through a lock directory.
const lockPath = join(packageDir, 'build.lock');
const staleLockMs = 5 * 60 * 1000;

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock() {
  const deadline = Date.now() + 3 * 60 * 1000;
  for (;;) {
    try {
      mkdirSync(lockPath);
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') return false;
    }
    try {
      if (Date.now() - statSync(lockPath).mtimeMs > staleLockMs) rmSync(lockPath, { recursive: true, force: true });
    } catch {
      // the other build released the lock between the two calls
    }
    if (Date.now() > deadline) return false;
    sleep(500);
  }
}

if (!acquireLock()) skip(`another build held ${lockPath} for 3 minutes`, `remove that folder if no build is running, ${REBUILD}`);
process.on('exit', () => rmSync(lockPath, { recursive: true, force: true }));

// configure + build (not rebuild) so that a repeated install recompiles only changed sources
// and keeps the existing addon in place while it does.
function runNodeGyp(command) {
  return spawnSync(process.execPath, [nodeGyp, command, `--nodedir=${nodeDir}`], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: verbose ? 'inherit' : 'pipe',
  });
}
let result = runNodeGyp('configure');
if (result.status === 0) result = runNodeGyp('build');

if (result.status !== 0) {
  if (!verbose) writeFileSync(logPath, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  skip(`node-gyp failed${verbose ? '' : `, see ${logPath}`}`, `install python3, make and a C++17 compiler with \`apt-get install -y python3 make g++\`, ${REBUILD}`);
}
rmSync(logPath, { force: true });
if (verbose) console.log(`${notice} built build/Release/archzoo_kernels.node`);
