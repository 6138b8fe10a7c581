/**
 * Named limits on what the loader accepts. A stack file is user input: every bound here keeps a
 * hostile or mistaken file (a YAML bomb, a huge paste, a deep nest) from hanging the process or
 * exhausting its memory. Each is checked before the work it bounds.
 */

/**
 * Characters of one stack file's text (docker has no limit; real files are a few KiB). Parsing
 * costs about 2-5 µs a byte, so this also bounds the time a load takes.
 */
export const STACK_FILE_BYTES_MAX = 2 * 1024 * 1024;

/** Stack files in one load (`-c a.yml -c b.yml ...`). */
export const STACK_FILES_MAX = 32;

/**
 * Alias uses in one file. With YAML_NODES_MAX this defuses "billion laughs": the loader expands
 * aliases itself (to keep positions), so the YAML library's maxAliasCount, which only guards its
 * toJS(), does not apply.
 */
export const YAML_ALIAS_COUNT_MAX = 10_000;

/** Nodes built from one file after expanding aliases and merge keys. */
export const YAML_NODES_MAX = 500_000;

/** Nesting depth of mappings and sequences. */
export const YAML_DEPTH_MAX = 64;

/** Characters of one interpolated value (after expansion). */
export const INTERPOLATED_VALUE_CHARS_MAX = 1024 * 1024;

/** Diagnostics kept from one load; the rest are dropped with a final note. */
export const DIAGNOSTICS_MAX = 200;

/** Ports a single published range may expand to (`8000-9000:8000-9000`). */
export const PORT_RANGE_SIZE_MAX = 1_000;
