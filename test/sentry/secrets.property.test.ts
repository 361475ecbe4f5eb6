// Property: wherever a module puts a secret (message, cause, extra keys and values, tags, breadcrumbs,
// fingerprint), no raw secret is in the bytes the fake Sentry receives.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { leakedSecrets, reporterFor, SECRET, startSentry } from './support.js';

const secret = fc.constantFrom(
  SECRET.botToken,
  SECRET.snowflake,
  SECRET.ipv4,
  SECRET.ipv6,
  `https://${SECRET.invite}`,
  `${SECRET.home}/bot/config.json`,
);
/** What each kind of secret above becomes once scrubbed. */
const PLACEHOLDER =
  /\[BOT-TOKEN\]|\[DISCORD-TOKEN\]|\[SHORTENED-ID-\d{4}\]|IP_V4|IP_V6|\[DISCORD-INVITE-LINK\]|\{HOME\}/;
const text = fc
  .tuple(fc.string({ maxLength: 12 }), secret, fc.string({ maxLength: 12 }))
  .map(([before, value, after]) => `${before} ${value} ${after}`);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(text, fc.string({ maxLength: 8 })), tie('node'), { maxKeys: 3 }),
  ),
})).node;

it('no raw secret reaches Sentry, wherever it is placed', async () => {
  const sentry = await startSentry();
  const { reporter } = reporterFor(sentry.dsn, 'errors');
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        message: text,
        cause: text,
        extra: fc.dictionary(fc.oneof(text, fc.string({ maxLength: 8 })), value, { maxKeys: 4 }),
        tag: text,
        crumb: text,
        crumbData: value,
        fingerprint: text,
      }),
      async (placed) => {
        reporter.addBreadcrumb({ message: placed.crumb, data: { value: placed.crumbData } });
        reporter.captureError(new Error(placed.message, { cause: new Error(placed.cause) }), {
          extra: placed.extra,
          tags: { placed: placed.tag },
          fingerprint: [placed.fingerprint],
        });
        const before = sentry.events().length;
        await reporter.flush(2000);
        expect(leakedSecrets(sentry.received())).toEqual([]);
        // Each place still holds its text, the secret replaced: the event arrived with them, not without them.
        const event = sentry.events()[before];
        const values = event?.exception?.values?.map((exception) => exception.value) ?? [];
        expect(values).toHaveLength(2);
        for (const placedText of [...values, event?.tags?.placed, event?.breadcrumbs?.at(-1)?.message]) {
          expect(placedText).toMatch(PLACEHOLDER);
        }
      },
    ),
    { numRuns: 60 },
  );
  expect(sentry.events()).toHaveLength(60);
});
