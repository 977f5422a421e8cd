// Vitest: every suite under test/ (the sources run as TypeScript directly;
// only the CLI binary needs dist/). The spec suite runs as one test per
// script, so the timeout is generous for slow machines. The setup file has
// acorn parse every module text the compiler emits in any suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', '.scratch/**'],
    setupFiles: ['test/setup/parse-emitted.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
