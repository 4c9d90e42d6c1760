import { describe, expect, it } from 'vitest';
import { ArtifactLayout } from './artifact-layout.js';

describe('ArtifactLayout', () => {
  const layout = new ArtifactLayout('/data/artifacts');

  it('places datasets, trials and reports as documented', () => {
    expect(layout.datasetDir('ds-1a2b')).toBe('/data/artifacts/datasets/ds-1a2b');
    expect(layout.manifestFile('ds-1a2b')).toBe('/data/artifacts/datasets/ds-1a2b/manifest.json');
    expect(layout.trialDir('sw-1', 't003')).toBe('/data/artifacts/sweeps/sw-1/trials/t003');
    expect(layout.reportFile('sw-1', 'html')).toBe('/data/artifacts/sweeps/sw-1/report.html');
  });

  it.each(['..', '../etc', 'a/b', 'a:b', '', '.hidden'])('refuses the id %j', (id) => {
    expect(() => layout.sweepDir(id)).toThrow();
  });
});
