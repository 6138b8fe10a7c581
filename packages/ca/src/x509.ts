/**
 * The one place that wires @peculiar/x509 to Node's WebCrypto. Every module of this package
 * imports the library through here, so the provider is always set before first use.
 * @peculiar/x509 2.x resolves its algorithms through tsyringe, which needs the Reflect metadata
 * polyfill loaded first (the library's README requires it of every consumer).
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export const subtle = webcrypto.subtle;
