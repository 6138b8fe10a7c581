/** A loop that runs on the leader only (allocator, scheduler, orchestrators, dispatcher). */
export interface LeaderComponent {
  readonly name: string;
  /** Starts the loop; called once per instance. */
  start(): void;
  /** Stops the loop and waits for it. Idempotent. */
  stop(): Promise<void>;
}

/** Makes a fresh component for each leadership term (loops are started once). */
export type LeaderComponentFactory = () => LeaderComponent;
