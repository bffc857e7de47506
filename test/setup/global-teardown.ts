export default async function globalTeardown() {
  await (globalThis as any).__TEST_TEMPORAL__?.stop();
  await (globalThis as any).__TEST_POSTGRES__?.stop();
}
