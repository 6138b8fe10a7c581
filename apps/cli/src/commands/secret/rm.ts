/** `shoal secret rm` (shared with the other data object kind: ../../data-object-commands.ts). */
import { dataRmCommand } from "../../data-object-commands.ts";

export const command = dataRmCommand("secret");
