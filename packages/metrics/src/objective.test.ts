import { describe, expect, it } from 'vitest';
import { combinedScore, defaultDirection, reportObjectiveFor, validationValue } from './objective.js';

describe('one objective over validation and test', () => {
  const val = { loss: 0.9, position_mae: 4, shape_acc: 0.98, colour_acc: 0.95 };

  it('val_combined is the combined score of the epoch: 4 px + 100 × (0.02 + 0.05) = 11', () => {
    expect(validationValue(val, 'val_combined')).toBeCloseTo(11, 12);
    expect(validationValue(val, 'val_combined')).toBe(
      combinedScore({ position_mae_px: 4, shape_acc: 0.98, colour_acc: 0.95 }),
    );
  });

  it('other metrics are read as recorded; a missing one is NaN', () => {
    expect(validationValue(val, 'val_loss')).toBe(0.9);
    expect(validationValue(val, 'val_shape_loss')).toBeNaN();
    expect(validationValue({ loss: 0.9 }, 'val_combined')).toBeNaN();
  });

  it("a one-head run's combined is its head's term alone: 100 × (1 − 0.98) for shape", () => {
    expect(validationValue({ loss: 0.1, shape_acc: 0.98 }, 'val_combined')).toBeCloseTo(2, 12);
    expect(combinedScore({ position_mae_px: 4 })).toBe(4);
    expect(combinedScore({ colour_acc: 0.95 })).toBeCloseTo(5, 12);
  });

  it('the report ranks by the same metric on test, and by combined for a loss', () => {
    expect(reportObjectiveFor({ metric: 'val_combined', direction: 'minimize' })).toEqual({
      metric: 'combined',
      direction: 'minimize',
    });
    expect(reportObjectiveFor({ metric: 'val_shape_acc', direction: 'maximize' })).toEqual({
      metric: 'shape_acc',
      direction: 'maximize',
    });
    expect(reportObjectiveFor({ metric: 'val_position_mae', direction: 'minimize' }).metric).toBe(
      'position_mae_px',
    );
    expect(reportObjectiveFor({ metric: 'val_loss', direction: 'minimize' })).toEqual({
      metric: 'combined',
      direction: 'minimize',
    });
  });

  it('directions default by metric: rates maximised, the rest minimised', () => {
    expect(defaultDirection('val_colour_acc')).toBe('maximize');
    expect(defaultDirection('shape_macro_f1')).toBe('maximize');
    expect(defaultDirection('val_combined')).toBe('minimize');
  });
});
