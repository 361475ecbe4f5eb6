// The main job, for now: scrub a realistic error event and show what would leave the bot, before and after.
// (The full offline demo bot replaces this once the discord.js integration lands.)
import { createScrubber } from 'consentry';

const FAKE_TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
const env = { HOME: '/home/alice', USERNAME: 'alice', COMPUTERNAME: 'ALICE-DESKTOP' };
const scrubber = createScrubber({ botToken: FAKE_TOKEN, env });

const event = {
  level: 'error',
  exception: {
    values: [
      {
        type: 'DiscordAPIError',
        value: `Unknown interaction url=https://discord.com/api/v10/interactions/1234567890123456789/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpxd2VydHl1aW9wYXNkZmdoamtsenhjdmJubTEyMzQ1Njc4OTA/callback`,
        stacktrace: {
          frames: [{ filename: '/home/alice/bot/plugins/notes/index.js', function: 'handleNote', lineno: 42 }],
        },
      },
    ],
  },
  breadcrumbs: [
    { message: 'Guild 123456789012345678 joined via https://discord.gg/AbC123 from 203.0.113.9' },
    { message: `login with ${FAKE_TOKEN}`, data: { password: 'hunter2', host: 'ALICE-DESKTOP' } },
    { message: 'redis at 127.0.0.1:6379 and [2001:db8::1]:8443' },
  ],
  extra: {
    webhook:
      'https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz0123',
  },
};

const before = JSON.stringify(event, null, 2).split('\n');
const after = JSON.stringify(scrubber.value(event), null, 2).split('\n');
console.log('consentry scrubber: what a Sentry event looks like before and after scrubbing\n');
for (let i = 0; i < after.length; i++) {
  if (before[i] === after[i]) console.log(`  ${after[i]}`);
  else console.log(`- ${before[i]}\n+ ${after[i]}`);
}
const leaked = [FAKE_TOKEN, '123456789012345678', '203.0.113.9', 'discord.gg/AbC123', '/home/alice', 'hunter2'].filter(
  (secret) => after.join('\n').includes(secret),
);
if (leaked.length > 0) {
  console.error(`\nFAILED: still present after scrubbing: ${leaked.join(', ')}`);
  process.exit(1);
}
console.log(
  '\nOK: no token, id, IP, invite, personal path or password survived (loopback addresses are kept on purpose).',
);
