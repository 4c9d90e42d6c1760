/** The TF.js backends this project trains on, fastest first. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** A backend by name, or `auto`: the first of `BACKEND_NAMES` that loads. */
export type BackendPreference = 'auto' | BackendName;
export const BACKEND_PREFERENCES = ['auto', ...BACKEND_NAMES] as const;
