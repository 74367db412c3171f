/**
 * Poll `check` until it returns a value other than `undefined`, or fail after `timeoutMs`.
 * Tests wait on a condition with a deadline, never on a fixed sleep.
 */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, { timeoutMs = 5000, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
