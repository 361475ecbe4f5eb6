import { EmbedBuilder } from 'discord.js';
import type { ConsentLevel, ConsentStatus } from '../consent/index.js';
import type { AdapterContext } from './context.js';
import { STATUS } from './texts.js';

const COLORS: Record<ConsentLevel, number> = { off: 0x99aab5, manual: 0xfee75c, errors: 0x5865f2, all: 0x57f287 };

/** Discord's limit for one embed field. */
const FIELD_MAX = 1024;

function fieldValue(lines: readonly string[], empty: string): string {
  if (lines.length === 0) return empty;
  let out = '';
  for (const [index, line] of lines.entries()) {
    const more = `\n… and ${lines.length - index} more`;
    const next = out ? `${out}\n${line}` : line;
    if (next.length + more.length > FIELD_MAX) return `${out}${more}`;
    out = next;
  }
  return out;
}

/** `status`: the effective level and what decided it, the ids used, the modules and the kept reports. */
export function statusEmbed(context: AdapterContext, status: ConsentStatus): EmbedBuilder {
  const { internals, telemetry, words } = context;
  const modules = internals.modules().map((module) => `${module.name} ${module.version}`);
  const pending = telemetry.reports.list().map((report) => `\`${report.code}\` ${report.module}: ${report.title}`);
  const hint = internals.consent.settings()?.showManualHint ?? true;
  const embed = new EmbedBuilder()
    .setTitle(STATUS.title(words.suite).slice(0, 256))
    .setColor(COLORS[status.level])
    .setDescription(STATUS.meaning(status).slice(0, 4096))
    .addFields(
      { name: STATUS.level, value: STATUS.levelValue(status), inline: true },
      { name: STATUS.policy, value: STATUS.policyValue(status), inline: true },
      { name: STATUS.userId, value: STATUS.userIdValue(status.userId) },
      { name: STATUS.session, value: internals.sessionId },
      { name: STATUS.modules, value: fieldValue(modules, STATUS.noModules) },
      { name: STATUS.pending, value: fieldValue(pending, STATUS.noPending) },
      { name: STATUS.hint, value: STATUS.hintValue(hint), inline: true },
    );
  if (words.docsUrl) embed.setURL(words.docsUrl);
  return embed;
}
