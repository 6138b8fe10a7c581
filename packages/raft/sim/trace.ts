/**
 * The event log of one seed: what the nemesis did, what clients called and got back, who led.
 * Everything in it derives from the seed, so its hash proves two runs were identical, and
 * `--seed S --trace` prints it to replay a failure by eye.
 */
export class Trace {
  private readonly lines: string[] = [];
  private h = 0x811c9dc5;
  count = 0;

  constructor(private readonly linesMax: number) {}

  log(now: number, text: string): void {
    const line = `${String(now).padStart(6)} ${text}`;
    for (let i = 0; i < line.length; i++) this.h = Math.imul(this.h ^ line.charCodeAt(i), 0x01000193);
    this.h = Math.imul(this.h ^ 10, 0x01000193);
    this.count++;
    // Keep the newest lines: the end of a run is where a failure shows.
    if (this.lines.length >= this.linesMax) this.lines.splice(0, this.lines.length - this.linesMax + 1);
    this.lines.push(line);
  }

  /** Folds a value that is not worth a line (e.g. a counter) into the hash. */
  mix(n: number): void {
    this.h = Math.imul(this.h ^ (n >>> 0), 0x01000193);
  }

  get hash(): string {
    return (this.h >>> 0).toString(16).padStart(8, "0");
  }

  tail(n: number): string[] {
    return this.lines.slice(-n);
  }

  get dropped(): number {
    return this.count - this.lines.length;
  }
}
