// `leadscore/worker-client`: connect() to a worker started from `leadscore/worker`.
export { connect, LeadScoreError } from './leadscore.js';
export type * from './leadscore.js';
