// discord.js adapter: attachDiscord(), mod.command(), mod.listener(). Built by the discord.js integration issue.
export {};
