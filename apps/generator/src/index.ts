export { type GeneratorEnv, generatorEnvSchema, readGeneratorEnv } from './env.js';
export { createGeneratorWorker, type GenerateResult, type GeneratorWorkerDeps } from './generator-worker.js';
