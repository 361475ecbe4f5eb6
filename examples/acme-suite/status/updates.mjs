// One update check: fetch the newest release from the vendor's endpoint and compare it with ours.

/** True when `a` is a newer x.y.z version than `b`. */
export function isNewer(a, b) {
  const [x, y] = [a, b].map((version) => version.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return false;
}

/**
 * @param {import('consentry').TelemetryModule} mod
 * @param {import('@opentelemetry/api').Span} span the loop iteration's span (a no-op unless the owner chose `all`)
 */
export async function checkForUpdates(mod, span, url, current) {
  // A child span of the iteration: how long the endpoint takes, on its own.
  const latest = await mod.span('fetch-latest', async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`update check: ${url} answered ${response.status}`);
    return (await response.json()).version;
  });
  span.setAttribute('acme.update.latest', latest);
  return { latest, newer: isNewer(latest, current), checkedAt: new Date() };
}
