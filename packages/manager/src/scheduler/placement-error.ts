/** Why a placement (constraints, preferences) was refused; the control API maps it to a 400. */
export type PlacementErrorCode = "invalid-constraint" | "invalid-preference";

export class PlacementError extends Error {
  constructor(
    readonly code: PlacementErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PlacementError";
  }
}
