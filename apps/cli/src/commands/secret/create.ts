/** `shoal secret create` (shared with the other data object kind: ../../data-object-commands.ts). */
import { dataCreateCommand } from "../../data-object-commands.ts";

export const command = dataCreateCommand("secret");
