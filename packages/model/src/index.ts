export {
  type ArchitectureOptions,
  type ArchitectureOptionsInput,
  architectureOptionsSchema,
} from './architectures/architecture-options.js';
export {
  ARCHITECTURE_NAMES,
  ARCHITECTURES,
  type ArchitectureName,
  buildModel,
  countParams,
  isArchitectureName,
} from './architectures/architectures.js';
export { ArchitectureSizeError, UnknownArchitectureError } from './architectures/errors.js';
export { BackendUnavailableError } from './backend/errors.js';
export {
  BACKEND_NAMES,
  BACKEND_PREFERENCES,
  type BackendName,
  type BackendPreference,
  initBackend,
} from './backend/init-backend.js';
