import { defineConfig } from 'vitest/config';

// Unit tests sit next to the code (*.test.ts). Integration tests (*.int.test.ts) need the
// stack that scripts/test.ts starts; they read its ports from the ISOCHRON_* environment.
export default defineConfig({
  test: {
    include: ['services/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts', 'grafana/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
