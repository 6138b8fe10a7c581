import type Dockerode from "dockerode";
import { AgentError, errorMessage } from "../../errors.ts";
import type { NodeIdentity } from "../executor.ts";
import {
  callEngine,
  engineErrorMessage,
  engineStatusCode,
  isEngineUnreachable,
} from "./engine-connection.ts";

async function hasImage(docker: Dockerode, address: string, image: string): Promise<boolean> {
  try {
    await callEngine(address, () => docker.getImage(image).inspect());
    return true;
  } catch (err) {
    if (engineStatusCode(err) === 404) return false;
    throw err;
  }
}

/** Pulls until done, failed, or `signal` aborts; resolves with why it failed ("" when it did not). */
async function pull(docker: Dockerode, image: string, signal: AbortSignal): Promise<string> {
  try {
    const stream = (await docker.pull(image, { abortSignal: signal })) as NodeJS.ReadableStream;
    const onAbort = () => (stream as unknown as { destroy?: () => void }).destroy?.();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
        // A destroyed stream may never report its end: the abort settles the wait.
        signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
      });
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    return "";
  } catch (err) {
    if (isEngineUnreachable(err)) throw err;
    return engineErrorMessage(err) || errorMessage(err);
  }
}

/**
 * Makes sure `image` is on the engine: used as it is when present (the usual case here: there may
 * be no registry), else pulled within `pullTimeoutMs`. Still absent → IMAGE_NOT_FOUND, which
 * rejects the task.
 */
export async function ensureImage(
  docker: Dockerode,
  address: string,
  image: string,
  node: NodeIdentity,
  pullTimeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  if (await hasImage(docker, address, image)) return;
  const pullSignal = AbortSignal.any([signal, AbortSignal.timeout(pullTimeoutMs)]);
  let reason: string;
  try {
    reason = await pull(docker, image, pullSignal);
  } catch (err) {
    if (isEngineUnreachable(err)) await callEngine(address, () => Promise.reject(err));
    throw err;
  }
  if (signal.aborted)
    throw new AgentError("IMAGE_NOT_FOUND", `pull of ${image} abandoned: the task was stopped`);
  if (await hasImage(docker, address, image)) return;
  const why = pullSignal.aborted ? `pull timed out after ${pullTimeoutMs} ms` : `pull failed: ${reason}`;
  throw new AgentError("IMAGE_NOT_FOUND", `image ${image} not found on node ${node.hostname} (${why})`);
}
