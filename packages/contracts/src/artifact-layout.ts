import { join, resolve } from 'node:path';
import { MANIFEST_FILE } from '@repo/dataset/spec';
import { idSchema } from './ids.js';

/**
 * Where every artifact lives under ARTIFACTS_DIR (shared by all workers, e.g. a volume):
 *
 *     datasets/<datasetId>/manifest.json, <split>-<shard>-*.npy
 *     sweeps/<sweepId>/trials/<trialId>/{run.json,trial.json,history.json,confusion.json,predictions.json,model/,checkpoint/}
 *     sweeps/<sweepId>/report.json    the report view (@repo/report-view), written once by the reporter
 *     sweeps/<sweepId>/report.html    `mtl report --format html`
 *
 * A sweep's plan lives in the sweep registry (Redis), not in a file.
 */
export class ArtifactLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  datasetDir(datasetId: string): string {
    return join(this.root, 'datasets', idSchema.parse(datasetId));
  }

  /** The dataset's manifest, written last: its presence says the dataset is complete. */
  manifestFile(datasetId: string): string {
    return join(this.datasetDir(datasetId), MANIFEST_FILE);
  }

  sweepDir(sweepId: string): string {
    return join(this.root, 'sweeps', idSchema.parse(sweepId));
  }

  trialDir(sweepId: string, trialId: string): string {
    return join(this.sweepDir(sweepId), 'trials', idSchema.parse(trialId));
  }

  reportFile(sweepId: string, format: 'json' | 'html'): string {
    return join(this.sweepDir(sweepId), `report.${format}`);
  }
}
