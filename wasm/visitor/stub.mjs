// The snippet's inline half: a queue that records leadscore(...) calls made before the runtime
// has loaded (docs/embed.md). A host with a strict Content-Security-Policy allows exactly this
// text by its hash (STUB_HASH) instead of 'unsafe-inline'. Keep it byte for byte equal to the
// <script> in examples/site/*.html, docs/embed.md and README.md (tests/js/embed-docs.test.mjs).
import { createHash } from 'node:crypto';

export const STUB = 'window.leadscore=window.leadscore||function(){(leadscore.q=leadscore.q||[]).push(arguments)};';
export const STUB_HASH = `'sha256-${createHash('sha256').update(STUB).digest('base64')}'`;
