export { type ReporterEnv, readReporterEnv, reporterEnvSchema } from './env.js';
export { createReportServer, type ReportServerDeps } from './report-server.js';
export {
  createReporterWorker,
  type ReporterDeps,
  type ReportResult,
  reaggregate,
} from './reporter-worker.js';
export { writeSweepReport } from './sweep-report.js';
export { collectTrialOutcomes, type TrialOutcomes } from './trial-outcomes.js';
