import { RegistryCallError } from '@repro-registry/client';

/** The `RegistryCallError` a client call fails with (anything else, or success, fails the test). */
export async function failureOf(run: () => Promise<unknown>): Promise<RegistryCallError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof RegistryCallError) return e;
    throw e;
  }
  throw new Error('the call succeeded');
}
