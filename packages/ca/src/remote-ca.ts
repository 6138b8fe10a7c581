import { timingSafeEqual } from "node:crypto";
import { CaError } from "./errors.ts";
import { parseJoinToken, rootCaDigestHex } from "./join-token.ts";
import { parseCertificateBundle } from "./pem.ts";
import { assertUsableRootCertificate } from "./root-ca.ts";

export const CA_MISMATCH_MESSAGE =
  "the remote's CA does not match the join token: you may be talking to the wrong swarm or to an impostor";

/**
 * Joining side, step 2 of `swarm join`: the node has dialled a manager without verifying it and
 * fetched its root CA PEM. Accept that PEM only if its bytes hash to the token's digest; only then
 * may it be used as the trust bundle for the verified connection that sends the CSR and token.
 * Returns the PEM unchanged (it is the exact text that was pinned).
 */
export function checkRemoteRootCa(
  joinToken: string,
  remoteRootCaPem: string,
  options: { now?: Date } = {},
): string {
  const { rootCaDigestHex: expected } = parseJoinToken(joinToken);
  const actual = rootCaDigestHex(remoteRootCaPem);
  if (!timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(actual, "hex"))) {
    throw new CaError("CA_MISMATCH", `${CA_MISMATCH_MESSAGE} (expected SHA-256 ${expected}, got ${actual})`);
  }
  const now = options.now ?? new Date();
  for (const cert of parseCertificateBundle(remoteRootCaPem, "INVALID_ROOT_CA", "remote root CA")) {
    assertUsableRootCertificate(cert, now, "remote root CA");
  }
  return remoteRootCaPem;
}
