import { type Client, Team, TeamMemberMembershipState } from 'discord.js';
import type { OwnerRole } from './options.js';

/** How long the owners read from Discord are trusted before they are read again. */
const OWNERS_TTL_MS = 5 * 60_000;

export interface Owners {
  /** The owners' user ids: the application's owner, or the owning team's owner and members with the roles, plus extra ids. */
  list(): Promise<string[]>;
  /** Checked at run time: Discord has no "owners only" visibility for commands. */
  isOwner(userId: string): Promise<boolean>;
}

export function createOwners(
  client: Client,
  options: { ownerRoles: readonly OwnerRole[]; extraOwnerIds: readonly string[] },
): Owners {
  let cached: { ids: string[]; at: number } | undefined;
  let reading: Promise<string[]> | undefined;

  const read = async (): Promise<string[]> => {
    const ids = new Set<string>();
    const application = client.application;
    if (application) {
      // `client.application` holds only the id and flags until fetched; the owner comes with the fetch.
      const { owner } = await application.fetch();
      if (owner instanceof Team) {
        if (owner.ownerId) ids.add(owner.ownerId);
        for (const member of owner.members.values()) {
          if (member.membershipState !== TeamMemberMembershipState.Accepted) continue;
          if ((options.ownerRoles as readonly string[]).includes(member.role)) ids.add(member.id);
        }
      } else if (owner) {
        ids.add(owner.id);
      }
    }
    for (const id of options.extraOwnerIds) ids.add(id);
    return [...ids];
  };

  const list = async (): Promise<string[]> => {
    if (cached && Date.now() - cached.at < OWNERS_TTL_MS) return cached.ids;
    // Before login the client knows no application: its answer (only the extra ids) is given, never kept.
    const trusted = client.isReady();
    reading ??= read()
      .then((ids) => {
        if (trusted) cached = { ids, at: Date.now() };
        return ids;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };

  return {
    list,
    async isOwner(userId) {
      if (options.extraOwnerIds.includes(userId)) return true;
      try {
        return (await list()).includes(userId);
      } catch {
        return false;
      }
    },
  };
}
