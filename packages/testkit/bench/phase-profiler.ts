/** CPU-profiles one phase of a benchmark (node:inspector), written as a .cpuprofile file. */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";

export async function profiled<T>(file: string | undefined, run: () => Promise<T>): Promise<T> {
  if (file === undefined) return run();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await run();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  }
}
