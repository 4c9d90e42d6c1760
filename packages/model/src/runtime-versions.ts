import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';

/** Versions of the TF.js packages that shape a trained result, for run records. */
export function runtimeVersions(): Record<string, string> {
  return {
    '@tensorflow/tfjs-core': version_core,
    '@tensorflow/tfjs-layers': version_layers,
    node: process.versions.node,
  };
}
