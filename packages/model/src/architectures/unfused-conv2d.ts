import * as tfc from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-layers';

type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

/**
 * The fields of tfjs-layers' Conv2D that the unfused call reads. They are not in its public types and
 * no public API hands them to a subclass's `call`; library-internals.test.ts fails if they change.
 */
interface ConvInternals {
  kernel: { read(): tfc.Tensor4D };
  bias: { read(): tfc.Tensor1D } | null;
  strides: [number, number];
  padding: 'valid' | 'same';
  dilationRate: [number, number];
  activation: { apply(x: tfc.Tensor): tfc.Tensor };
}

const Conv2D = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).constructor as new (
  args: Conv2DArgs,
) => tf.layers.Layer;

/**
 * tfjs-layers' Conv2D, but while gradients are recorded it runs conv, bias and activation as
 * separate ops. The fused op's custom gradient computes the input gradient even where nothing
 * needs it: for the first layer that is a conv back onto the image, ~0.4 s of a wasm training step.
 * Separate ops let the tape skip it. Outside training it keeps the fused op. It serialises as a
 * plain `Conv2D`, so saved models load anywhere.
 */
export class UnfusedConv2D extends Conv2D {
  override call(
    inputs: tfc.Tensor | tfc.Tensor[],
    kwargs: Record<string, unknown>,
  ): tfc.Tensor | tfc.Tensor[] {
    if (tfc.engine().state.gradientDepth === 0) return super.call(inputs, kwargs);
    const self = this as unknown as ConvInternals;
    return tfc.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tfc.Tensor4D;
      let y: tfc.Tensor = tfc.conv2d(
        x,
        self.kernel.read(),
        self.strides,
        self.padding,
        'NHWC',
        self.dilationRate,
      );
      if (self.bias !== null) y = tfc.add(y, self.bias.read());
      return self.activation.apply(y);
    });
  }
}
