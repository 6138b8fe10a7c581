/**
 * Freezes an object graph so that stored objects cannot be changed in place (strict-mode code
 * that tries throws). Already-frozen subtrees are skipped: objects decoded from one transaction
 * share their unchanged parts, which are frozen once.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === "object") deepFreeze(child);
    }
  }
  return value;
}
