import { escapeHtml } from './escape.js';
import type { RunView } from './report-view.js';
import type { SweepView } from './sweep-view.js';

/**
 * A run's sample test images as SVG, like the study's prediction plots: the image (shared `<use>`),
 * the true position as a green dot, the predicted one as a red dot joined to it, and both labels.
 * Only the heads the run has are drawn: no dots without a position head, no label of an absent head.
 */
export function renderSamples(samples: SweepView['samples'], run: RunView): string {
  const predicted = run.predictions?.samples ?? [];
  const size = run.imageSize;
  const shown = new Set(samples.images.map((image) => image.index));
  const radius = Math.max(1.5, size / 40);
  type Point = (typeof predicted)[number]['true'];
  const labels = (point: Point) =>
    (['colour', 'shape'] as const)
      .flatMap((head) => {
        const index = point[head];
        return index === undefined ? [] : [run.confusion[head]?.labels[index] ?? `#${index}`];
      })
      .map(escapeHtml)
      .join(' ');
  const figures = predicted.map(({ index, true: truth, pred }) => {
    const right = truth.shape === pred.shape && truth.colour === pred.colour;
    const background = shown.has(index)
      ? `<use href="#sample-image-${index}"/>`
      : `<rect width="${size}" height="${size}" class="no-image"/>`;
    const dots =
      truth.x !== undefined && truth.y !== undefined && pred.x !== undefined && pred.y !== undefined
        ? {
            svg:
              `<line x1="${truth.x}" y1="${truth.y}" x2="${pred.x}" y2="${pred.y}" class="miss"/>` +
              `<circle cx="${truth.x}" cy="${truth.y}" r="${radius}" class="true-dot"/>` +
              `<circle cx="${pred.x}" cy="${pred.y}" r="${radius}" class="pred-dot"/>`,
            caption: `error ${Math.hypot(pred.x - truth.x, pred.y - truth.y).toFixed(1)} px`,
          }
        : { svg: '', caption: '' };
    const lines = [
      ...(labels(truth) ? [`true: ${labels(truth)}`, `pred: ${labels(pred)}`] : []),
      ...(dots.caption ? [dots.caption] : []),
    ];
    return (
      `<figure class="sample" data-testid="sample" data-index="${index}">` +
      `<svg viewBox="0 0 ${size} ${size}" width="144" height="144" role="img" aria-label="test sample ${index}">${background}` +
      `${dots.svg}</svg>` +
      `<figcaption class="${right ? 'right' : 'wrong'}">${lines.join('<br>')}</figcaption></figure>`
    );
  });
  return `<div class="samples">${figures.join('')}</div>`;
}
