'use strict';
// The Node `worker_threads` entry of every pthread of tfjs-backend-wasm's threaded SIMD build
// (started by backends/wasm.ts). The package ships Emscripten's pthread glue only as a string
// (`wasmWorkerContents`), which its own loader starts from a blob: URL that Node workers cannot
// load. This file runs that string instead, handing it this module's `require` and `__filename`,
// which its Node branch uses to load `worker_threads` and `fs`.
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');

// The package stores the string as a template literal, which turned the "\n" escape in one of its
// string literals into a real line break. Escaping line breaks again makes the code parse.
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, __filename);
