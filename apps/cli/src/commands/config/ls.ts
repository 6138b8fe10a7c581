/** `shoal config ls` (shared with the other data object kind: ../../data-object-commands.ts). */
import { dataLsCommand } from "../../data-object-commands.ts";

export const command = dataLsCommand("config");
