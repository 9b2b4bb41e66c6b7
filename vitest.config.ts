import { defineConfig } from 'vitest/config';

// One project per suite so CI can run them separately; see README "Tests".
export default defineConfig({
  test: {
    globalSetup: ['tests/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['lib/**/*.test.ts', 'functions/**/*.test.ts', 'scripts/**/*.test.ts'] } },
      { extends: true, test: { name: 'contract', include: ['tests/contract/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts', 'tests/contract/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'conformance', include: ['tests/conformance/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 60_000 } },
    ],
  },
});
