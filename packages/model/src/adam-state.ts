import * as tf from '@tensorflow/tfjs-core';

/**
 * Puts the optimizer in the state a restore from a checkpoint would give it. TF.js accumulates Adam's
 * bias-correction powers by repeated multiplication but recomputes them with `pow` on `setWeights`; the
 * two differ in the last bits, so a resumed run would drift from an uninterrupted one. Doing the same
 * round trip at every epoch end makes both take the identical path.
 */
export async function settleAdam(optimizer: tf.AdamOptimizer): Promise<void> {
  const slots = await optimizer.getWeights();
  await optimizer.setWeights(slots);
  // setWeights made new variables sharing the old ones' buffers; drop the old handles.
  tf.dispose(slots.map(({ tensor }) => tensor));
}
