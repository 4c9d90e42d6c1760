/** The trial's dataset has no manifest yet: its generation has not finished (or not started). */
export class DatasetNotReadyError extends Error {
  override readonly name = 'DatasetNotReadyError';
  readonly datasetId: string;

  constructor(datasetId: string, manifestFile: string) {
    super(`dataset ${datasetId} is not generated yet (no ${manifestFile})`);
    this.datasetId = datasetId;
  }
}
