/** The label docker puts on every object of a stack; `stack rm` and `stack ls` find them by it. */
export const STACK_NAMESPACE_LABEL = "com.docker.stack.namespace";
/** The image a service was deployed with, as written in the stack file. */
export const STACK_IMAGE_LABEL = "com.docker.stack.image";

/** Stack names follow object names, short enough that `NAME_service` still fits. */
const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const STACK_NAME_CHARS_MAX = 63;

export function isValidStackName(name: string): boolean {
  return STACK_NAME.test(name) && name.length <= STACK_NAME_CHARS_MAX;
}

/** `web` in stack `shop` → `shop_web`. */
export function scopedName(stackName: string, name: string): string {
  return `${stackName}_${name}`;
}

export function withStackLabel(stackName: string, labels: Record<string, string> | undefined) {
  return { ...labels, [STACK_NAMESPACE_LABEL]: stackName };
}
