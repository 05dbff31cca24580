// `leadscore/inline`: the same API as `leadscore`, with the WebAssembly inlined (one file, no .wasm to serve).
export * from '../leadscore.js';
