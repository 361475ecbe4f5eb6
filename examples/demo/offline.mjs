// The offline demo: fakes on 127.0.0.1, the example bot, the scripted scenario, the report and the checks.
import { writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { runChecks } from './checks.mjs';
import { tapDebugOutput } from './debug-tap.mjs';
import { printSentRecord } from './owner-record.mjs';
import { printPartialReport, printReport } from './report.mjs';
import { playScenario } from './scenario.mjs';
import { paint } from './style.mjs';
import { startWorld } from './world.mjs';

const DEADLINE_MS = 25_000;

/** Runs the demo; resolves with the exit code (0 when the scenario held). */
export async function runOfflineDemo(env = process.env) {
  const started = performance.now();
  const debug = env.CONSENTRY_DEBUG === '1' || env.CONSENTRY_DEBUG === 'true';
  const debugTap = debug ? tapDebugOutput() : undefined;
  const log = recordingLog();
  const transcript = { steps: [], facts: {} };
  const world = await startWorld({ dsn: env.CONSENTRY_DSN, otlp: env.DEMO_NO_OTLP !== '1' });
  world.debug = debugTap;
  const deadline = setTimeout(() => {
    console.error(paint('red', `The scenario did not hold: it did not finish within ${DEADLINE_MS / 1000} s.`));
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  try {
    await playScenario(world, { log, transcript });
    const { facts, steps } = transcript;
    const checks = runChecks({ facts, sentry: world.sentry, debug: debugTap });
    const seconds = (performance.now() - started) / 1000;
    printReport({ steps, facts, sentry: world.sentry, log, checks, env, debug: debugTap, seconds });
    const recorded = await printSentRecord({ world, sentry: world.sentry, fakeSentry: !env.CONSENTRY_DSN });
    return recorded && checks.every((check) => check.ok) ? 0 : 1;
  } catch (error) {
    const step = transcript.steps.at(-1)?.title ?? 'starting';
    printPartialReport({ ...transcript, log });
    console.error(paint('red', `The scenario did not hold: at "${step}": ${error?.message ?? error}`));
    return 1;
  } finally {
    clearTimeout(deadline);
    debugTap?.restore();
    await transcript.facts.bot?.stop().catch(() => {});
    // For the tests: every byte the fake Sentry received (request lines, headers, bodies), to search for secrets.
    if (env.CONSENTRY_DEMO_RECEIVED && world.sentry)
      writeFileSync(env.CONSENTRY_DEMO_RECEIVED, world.sentry.receivedBytes());
    await world.close();
  }
}

/** The bot's log, kept for the report instead of printed as it comes. */
function recordingLog() {
  const lines = [];
  const add =
    (level) =>
    (message, ...rest) =>
      lines.push({
        level,
        text: [message, ...rest].map((part) => (typeof part === 'string' ? part : inspect(part))).join(' '),
      });
  const logger = { debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
  return { lines, bot: logger, consentry: logger };
}
