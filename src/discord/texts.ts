// Every word the discord.js adapter shows to owners and users, and the lines it logs. One file, so it can be read
// (and translated) as a whole. Plain words: what is sent, what is never sent, how to change it.
import type { ConsentLevel, ConsentSource, ConsentStatus } from '../consent/index.js';
import type { SentEntry } from '../store/index.js';

export interface NoticeContext {
  suite: string;
  /** The command's name without the slash, e.g. `acme-telemetry`. */
  command: string;
  docsUrl: string | undefined;
}

const slash = (context: NoticeContext, rest = '') => `\`/${context.command}${rest ? ` ${rest}` : ''}\``;
const details = (context: NoticeContext) => (context.docsUrl ? `\nDetails: <${context.docsUrl}>` : '');
const list = (names: readonly string[]) => names.map((name) => `**${name}**`).join(', ');

/** What each level means, in one line. */
export const LEVEL_MEANING: Record<ConsentLevel, string> = {
  off: 'nothing is sent, and errors are not kept',
  manual: 'nothing is sent by itself; each error is kept for 7 days so an owner can look at it and send it by hand',
  errors: 'error reports and crash-free session counts are sent',
  all: 'error reports, crash-free session counts, and how long background jobs take are sent',
};

export const SOURCE_WORDS: Record<ConsentSource, string> = {
  DO_NOT_TRACK: 'the DO_NOT_TRACK environment variable',
  CONSENTRY_DISABLED: 'the CONSENTRY_DISABLED environment variable',
  CONSENTRY_LEVEL: 'the CONSENTRY_LEVEL environment variable',
  code: "the plugin's code",
  ci: 'CI detection',
  owner: "the owner's choice",
  default: 'the default (nobody chose yet)',
};

const WHAT_IS_SENT = [
  "• Errors in these modules: what failed, where in the code, the module's last log lines, and basic setup facts " +
    '(versions of the module, Node.js, discord.js and the operating system).',
  '• A random ID for this bot (it cannot be linked to you or to the bot) and an ID for this run.',
  '• With "errors + performance" also: how long background jobs take (update checks, loops, migrations).',
  '**What is never sent**',
  '• Message content, command options, or which commands are used and how fast.',
  '• Errors or data of other plugins or of the bot itself.',
  '• Before anything leaves, the bot token, invite links, IP addresses and home folders are removed, and Discord ' +
    'IDs are cut to 4 digits.',
].join('\n');

/**
 * The first message to the owners: the first time any module of the suite loads (or its policy changed). When
 * something stronger than the owner fixes the level (environment, code, CI), it says what that level sends now,
 * instead of promising that nothing is sent until the owner answers.
 */
export function masterNotice(
  context: NoticeContext,
  modules: readonly string[],
  status: ConsentStatus,
  policyChanged: boolean,
): string {
  if (status.locked) return lockedMasterNotice(context, status, policyChanged);
  const intro = policyChanged
    ? `**${context.suite}** changed what its error reports contain (policy version ${status.policyVersion}), so it ` +
      'asks you again. Until you answer, nothing is sent automatically.'
    : `**${context.suite}** would like to send error reports to its developers, only if you agree. Until you ` +
      'answer, nothing is sent automatically.';
  const choice =
    `You run ${list(modules)} from the same author: one choice covers all of them. Pick a button below, or later ` +
    `${slash(context, 'enable')} / ${slash(context, 'disable')}.`;
  return [
    intro,
    choice,
    `**What is sent, if you agree**\n${WHAT_IS_SENT}`,
    `See everything with ${slash(context, 'status')}; change your mind any time.${details(context)}`,
  ].join('\n\n');
}

function lockedMasterNotice(context: NoticeContext, status: ConsentStatus, policyChanged: boolean): string {
  const sending = status.level === 'errors' || status.level === 'all';
  const changed = policyChanged ? ` It changed what its reports contain (policy version ${status.policyVersion}).` : '';
  return [
    `**${context.suite}** can send error reports to its developers.${changed} On this bot the level is set to ` +
      `**${status.level}** by ${SOURCE_WORDS[status.source]}, not by you: ${LEVEL_MEANING[status.level]}.`,
    `${status.reason} The buttons and ${slash(context, 'enable')} / ${slash(context, 'disable')} cannot change it.`,
    `${sending ? '**What is sent**' : '**What would be sent, if reports were turned on**'}\n${WHAT_IS_SENT}`,
    `See everything with ${slash(context, 'status')}.${details(context)}`,
  ].join('\n\n');
}

export const BUTTON_LABELS = {
  all: 'Errors + performance',
  errors: 'Errors only',
  manual: 'Keep it off',
  example: 'Show an example of what is sent',
} as const;

/** A module of the suite loaded for the first time after the first message was sent. */
export function reminderNotice(context: NoticeContext, module: string, status: ConsentStatus): string {
  const enabled = status.level === 'errors' || status.level === 'all';
  if (enabled) {
    return (
      `**${context.suite}**: the module **${module}** was loaded for the first time. Error reports are on ` +
      `(level **${status.level}**: ${LEVEL_MEANING[status.level]}), so they now cover **${module}** too, with the ` +
      `same rules. Turn them off with ${slash(context, 'disable')}; see everything with ${slash(context, 'status')}.` +
      details(context)
    );
  }
  return (
    `**${context.suite}**: the module **${module}** was loaded for the first time. Error reports are off ` +
    `(level **${status.level}**: ${LEVEL_MEANING[status.level]}). If you would like to help its developers fix ` +
    `bugs, turn them on with ${slash(context, 'enable')}. While they are off you get this message at most once ` +
    `per restart.${details(context)}`
  );
}

export const fallbackPrefix = (suite: string) =>
  `(Sent here because no owner of this bot could be reached by direct message, for **${suite}**.)\n\n`;

// ---- replies to owners ----

export const NOT_OWNER = "Only the bot's owners can use this.";

export function levelChanged(context: NoticeContext, status: ConsentStatus): string {
  return (
    `Done: the level of **${context.suite}** is now **${status.level}**: ${LEVEL_MEANING[status.level]}. ` +
    `It applies to all its modules at once. Change it any time with ${slash(context, 'enable')} or ` +
    `${slash(context, 'disable')}.`
  );
}

export function refused(reason: string): string {
  return `Not changed: ${reason}`;
}

export function exampleIntro(context: NoticeContext): string {
  return (
    `This is exactly what an error report of **${context.suite}** looks like (attached as JSON). The error is made ` +
    'up; it was built by the same code as a real report and was not sent. Note the IDs cut to 4 digits and the ' +
    `removed IP address, invite link and home folder.${details(context)}`
  );
}

export const NO_DSN = (suite: string) =>
  `**${suite}** has no Sentry project configured, so nothing can be sent at all; there is nothing to show.`;

export function forgotten(context: NoticeContext, userId: string | null): string {
  return (
    `Done: **${context.suite}** now uses a new random ID (||${userId ?? 'unknown'}||). Reports sent from now on ` +
    'cannot be linked to earlier ones. The level did not change.'
  );
}

export function hintChanged(context: NoticeContext, on: boolean): string {
  return on
    ? `Done: when a command of **${context.suite}** fails while reports are manual, owners get the ${slash(context, 'send')} instructions.`
    : `Done: no more ${slash(context, 'send')} instructions after errors. Kept reports are still listed in ${slash(context, 'status')}.`;
}

export function reportSent(context: NoticeContext, code: string, eventId: string): string {
  return `Sent report \`${code}\` to the developers of **${context.suite}** (event \`${eventId}\`). Thank you!`;
}

export function cannotSendWhileOff(status: ConsentStatus): string {
  return `Nothing can be sent while the level is off: ${status.reason}`;
}

export function reportNotFound(code: string): string {
  return `There is no kept report \`${code}\`: it was sent already, it expired after 7 days, or the code is mistyped.`;
}

export function reportPreview(context: NoticeContext, code: string): string {
  return (
    `Report \`${code}\` exactly as ${slash(context, `send code:${code}`)} would send it (attached). Nothing was ` +
    'sent yet.'
  );
}

/** `sent`: the newest requests as short lines (the whole record is attached as JSON). */
export function sentList(context: NoticeContext, entries: readonly SentEntry[], shown: number): string {
  if (entries.length === 0) {
    return `Nothing of **${context.suite}** was sent in the last 7 days (or since the ID was last changed).`;
  }
  const lines = entries.slice(0, shown).map((entry) => {
    const answer = entry.status === null ? (entry.error ?? 'no answer') : `HTTP ${entry.status}`;
    return `\`${entry.time.slice(0, 19).replace('T', ' ')}\` ${entry.kind} · ${entry.module} · ${entry.bytes} B · ${answer}: ${entry.title.slice(0, 80)}`;
  });
  const more = entries.length > shown ? `\n…and ${entries.length - shown} more in the attached file.` : '';
  return `What **${context.suite}** sent, newest first (${entries.length} requests, all in the attached file):\n${lines.join('\n')}${more}`;
}

export function failed(message: string): string {
  return `That did not work: ${message}`;
}

// ---- the status embed ----

export const STATUS = {
  title: (suite: string) => `${suite}: error reports and telemetry`,
  level: 'Level',
  levelValue: (status: ConsentStatus) => `**${status.level}** (decided by ${SOURCE_WORDS[status.source]})`,
  policy: 'Policy version',
  policyValue: (status: ConsentStatus) =>
    status.decidedPolicyVersion !== null && status.decidedPolicyVersion !== status.policyVersion
      ? `${status.policyVersion} (the owner chose under ${status.decidedPolicyVersion})`
      : String(status.policyVersion),
  userId: 'Random ID sent with reports',
  userIdValue: (userId: string | null) => (userId ? `||${userId}||` : 'not known yet'),
  session: 'Run ID (changes at each restart)',
  modules: 'Modules',
  noModules: 'none loaded yet',
  pending: 'Kept reports (send or preview by code)',
  noPending: 'none',
  hint: 'Send instructions after errors',
  hintValue: (on: boolean) => (on ? 'on' : 'off'),
  meaning: (status: ConsentStatus) => `${status.reason}\n\n**${status.level}**: ${LEVEL_MEANING[status.level]}.`,
};

// ---- errors in the suite's commands ----

export const ERROR_REPLY = 'Sorry, something went wrong while running this command.';
export const PERMISSION_REPLY = 'Sorry, the bot is missing a permission it needs for this here.';

export function ownerPendingHint(context: NoticeContext, code: string): string {
  return (
    `**For owners:** this error was kept, not sent (reports of **${context.suite}** are manual). ` +
    `Send it to its developers: ${slash(context, `send code:${code}`)}. See exactly what would be sent first: ` +
    `${slash(context, `preview code:${code}`)}. Send errors automatically: ${slash(context, 'enable')}. ` +
    `Hide these instructions: ${slash(context, 'hint state:off')}.`
  );
}

export function ownerReportedHint(context: NoticeContext): string {
  return `**For owners:** this error was reported to the developers of **${context.suite}** (reports are on).`;
}

// ---- the command's descriptions (Discord: at most 100 characters each) ----

export const COMMAND = {
  description: (suite: string) => `Error reports of ${suite}: see and choose what is sent (owners only)`.slice(0, 100),
  status: 'What is sent now, why, and the IDs used',
  enable: 'Send error reports (and with "all" also background job timings)',
  enableLevel: 'errors: error reports only; all: also timings of background jobs (default)',
  disable: 'Send nothing and keep no error reports',
  send: 'Send one kept error report to the developers',
  preview: 'Show exactly what a kept error report contains, as JSON',
  code: 'The report code shown after the error, e.g. 7K2Q9D',
  hint: 'Show or hide the send instructions after errors',
  hintState: 'on or off',
  forget: 'Use a new random ID from now on (reports cannot be linked to earlier ones)',
  sent: 'List what was sent to the developers (last 7 days, at most 200 requests)',
};

// ---- log lines ----

export const LOG = {
  dmFailed: (suite: string, userId: string, reason: string, skipped: boolean) =>
    `consentry: ${suite}: could not send a direct message to owner ${userId} (${reason}); ` +
    (skipped ? 'notices to this owner are skipped until the bot restarts.' : 'it is not retried.'),
  fallbackFailed: (suite: string, channelId: string, reason: string) =>
    `consentry: ${suite}: could not post the notice in the fallback channel ${channelId} (${reason}).`,
  noOwner: (suite: string) =>
    `consentry: ${suite}: no owner could be reached by direct message and no fallbackChannelId is set; the notice ` +
    `about error reports was not delivered. Owners can still use the command.`,
  registerFailed: (suite: string, command: string, reason: string) =>
    `consentry: ${suite}: could not register the command /${command} (${reason}); owners cannot use it until it is.`,
  noticeFailed: (suite: string, reason: string) =>
    `consentry: ${suite}: could not check or record the owner notices (${reason}); they are tried again when the next module loads.`,
  commandFailed: (suite: string, reason: string) =>
    `consentry: ${suite}: answering an owner's command or button failed (${reason}).`,
};
