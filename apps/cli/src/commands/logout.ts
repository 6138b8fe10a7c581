/** `shoal logout`: revokes the token `shoal login` made and forgets the host's credentials. */
import { z } from "zod";
import { createApi } from "../api-client.ts";
import { defineCommand } from "../command.ts";
import { removeCredentials } from "../config-file.ts";

export const command = defineCommand({
  usage: "usage: shoal [-H HOST] logout\n\nRevokes the stored token (when login created it) and removes it.",
  summary: "log out",
  options: {},
  schema: z.object({ args: z.array(z.string()).max(0, "logout takes no arguments") }),
  run: async (_o, ctx) => {
    const stored = await removeCredentials(ctx.host);
    if (stored === undefined) {
      console.log(`Not logged in to ${ctx.host}`);
      return;
    }
    if (stored.tokenId !== undefined) {
      await createApi({ host: ctx.host, token: stored.token })
        .tokens.revoke.mutate({ token: stored.tokenId })
        .catch((error: Error) => console.error(`Warning: the token could not be revoked: ${error.message}`));
    }
    console.log(`Removed login credentials for ${ctx.host}`);
  },
});
