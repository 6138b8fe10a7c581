/**
 * Whether a TCP address answers "connection refused": the host is up and nothing listens there
 * (a process that died). A timeout or any other failure is not proof of anything and says false.
 */
import net from "node:net";

export function portRefuses(address: string, timeoutMs: number): Promise<boolean> {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!m) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ host: m[1] as string, port: Number(m[2]) });
    const done = (refused: boolean) => {
      socket.destroy();
      resolve(refused);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(false));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code === "ECONNREFUSED"));
  });
}
