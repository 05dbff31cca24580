// `leadscore/worker`: a module Web Worker script (start it with `new Worker(url, {type: 'module'})`
// and talk to it through `leadscore/worker-client`). It exports nothing.
export {};
