// What the integration project's global setup provides to tests through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the real Redis the integration tests share (each test uses its own key prefix). */
    redisUrl: string;
  }
}
