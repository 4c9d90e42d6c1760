import type { ReportView } from './report-view.js';

/** A sample test image shared by every run of the sweep (they share one dataset). */
export interface SampleImage {
  /** Index in the test split. */
  index: number;
  /** A `data:image/png;base64,…` URL. */
  src: string;
}

/**
 * What a report page renders: the sweep's stored report view as the reporter wrote it, its live
 * state, and sample images read from the dataset (images are not stored in report.json).
 */
export type SweepView = ReportView & {
  /** `running`, `completed`, … (the sweep status reader's, or derived from the trials). */
  state: string;
  /** No report.json yet (a sweep still running): built from the run records as they are now. */
  provisional: boolean;
  samples: { imageSize: number; images: SampleImage[] };
};
