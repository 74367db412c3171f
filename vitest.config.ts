import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests must not depend on the machine's zone (see the style guide).
    env: { TZ: 'UTC', NODE_ENV: 'test' },
    testTimeout: 20_000,
  },
})
