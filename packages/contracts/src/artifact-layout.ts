import { join, resolve } from 'node:path';
import { idSchema } from './ids.js';

/**
 * Where every artifact lives under ARTIFACTS_DIR (shared by all workers, e.g. a volume):
 *
 *     datasets/<datasetId>/manifest.json, <split>-<shard>-*.npy
 *     sweeps/<sweepId>/sweep.json
 *     sweeps/<sweepId>/trials/<trialId>/{run.json,history.json,checkpoint/,model/}
 *     sweeps/<sweepId>/report.{json,html}
 */
export class ArtifactLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  datasetDir(datasetId: string): string {
    return join(this.root, 'datasets', idSchema.parse(datasetId));
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
