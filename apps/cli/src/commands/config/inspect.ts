/** `shoal config inspect` (shared with the other data object kind: ../../data-object-commands.ts). */
import { dataInspectCommand } from "../../data-object-commands.ts";

export const command = dataInspectCommand("config");
