// The snippet's inline half: a queue that records leadscore(...) calls made before the runtime
// has loaded (docs/embed.md). A host with a strict Content-Security-Policy allows exactly this
// text by its hash (STUB_HASH) instead of 'unsafe-inline'. Keep it byte for byte equal to the
// <script> in examples/site/*.html, docs/embed.md and README.md (tests/js/embed-docs.test.mjs).
import { createHash } from 'node:crypto';

export const STUB = 'window.leadscore=window.leadscore||function(){(leadscore.q=leadscore.q||[]).push(arguments)};';
export const STUB_HASH = `'sha256-${createHash('sha256').update(STUB).digest('base64')}'`;

// The same queue that also inserts the runtime's tag after the page's load event, for hosts that
// want nothing of the snippet on their load path (docs/embed.md; bench/embed-load.mjs measures
// it). The paths are the guide's; a host that changes them hashes its own text.
export const STUB_AFTER_LOAD =
  STUB +
  "addEventListener('load',function(){var s=document.createElement('script');" +
  "s.src='/leadscore/visitor/leadscore-visitor.js';s.setAttribute('data-rules','/leadscore-rules.json');" +
  'document.head.appendChild(s)});';
export const STUB_AFTER_LOAD_HASH = `'sha256-${createHash('sha256').update(STUB_AFTER_LOAD).digest('base64')}'`;
