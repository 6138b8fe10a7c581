/**
 * The server's own zod schemas and key tree, shared with the browser so forms and the stack editor
 * check exactly what the API will check. Imported by path (tsconfig `paths`): the packages' main
 * entry points also hold server code. next.config.ts maps @shoal/store to its object schemas.
 */

export { type KeyCompletion, keysAt } from "@shoal-shared/compose-key-tree";
export { ServiceSpecInput } from "@shoal-shared/service-spec-input";
