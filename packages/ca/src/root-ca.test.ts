import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRootCa, loadRootCa, ROOT_CA_VALIDITY_MS } from "./root-ca.ts";
import { makeCertificate } from "./test-fixtures.ts";

const DAY_MS = 24 * 3600_000;

describe("createRootCa", () => {
  it("makes a self-signed ECDSA P-256 CA valid for 20 years", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const root = await createRootCa({ now });
    const cert = new X509Certificate(root.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe("CN=swarm-ca");
    expect(cert.checkIssued(cert) && cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(Date.parse(cert.validTo) - now.getTime()).toBe(ROOT_CA_VALIDITY_MS);
    expect(ROOT_CA_VALIDITY_MS).toBe(7300 * DAY_MS);
    expect(loadRootCa({ ...root, now }).certPem).toBe(root.certPem);
  });
});

describe("loadRootCa (operator-supplied CA)", () => {
  it("accepts a P-256 CA and an RSA 2048 CA, and normalises the PEM", async () => {
    for (const algorithm of ["p256", "rsa2048"] as const) {
      const supplied = await makeCertificate({ algorithm });
      const loaded = loadRootCa({ certPem: `\n\n${supplied.certPem}\r\n`, keyPem: supplied.keyPem });
      expect(loaded.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    }
  });

  it("accepts a SEC1 ('EC PRIVATE KEY') key as well as PKCS#8", async () => {
    const { createPrivateKey } = await import("node:crypto");
    const supplied = await makeCertificate({});
    const sec1 = createPrivateKey(supplied.keyPem).export({ type: "sec1", format: "pem" }).toString();
    expect(() => loadRootCa({ certPem: supplied.certPem, keyPem: sec1 })).not.toThrow();
  });

  const past = new Date(Date.now() - 10 * DAY_MS);
  const cases: [string, () => Promise<{ certPem: string; keyPem: string }>, string, RegExp][] = [
    [
      "garbage certificate",
      async () => ({ certPem: "hello", keyPem: "" }),
      "INVALID_ROOT_CA",
      /no PEM CERTIFICATE block/,
    ],
    [
      "two certificates",
      async () => {
        const a = await makeCertificate({});
        const b = await makeCertificate({});
        return { certPem: a.certPem + b.certPem, keyPem: a.keyPem };
      },
      "INVALID_ROOT_CA",
      /expected exactly one certificate, found 2/,
    ],
    ["not a CA", () => makeCertificate({ isCa: false }), "INVALID_ROOT_CA", /not a CA certificate/],
    [
      "expired",
      () => makeCertificate({ notBefore: new Date(past.getTime() - DAY_MS), notAfter: past }),
      "INVALID_ROOT_CA",
      /expired on/,
    ],
    [
      "not yet valid",
      () => makeCertificate({ notBefore: new Date(Date.now() + DAY_MS) }),
      "INVALID_ROOT_CA",
      /not valid before/,
    ],
    [
      "P-384 key",
      () => makeCertificate({ algorithm: "p384" }),
      "INVALID_ROOT_CA",
      /curve secp384r1 is not supported/,
    ],
    [
      "RSA 1024 key",
      () => makeCertificate({ algorithm: "rsa1024" }),
      "INVALID_ROOT_CA",
      /1024 bits is too small/,
    ],
    [
      "key of another CA",
      async () => ({
        certPem: (await makeCertificate({})).certPem,
        keyPem: (await makeCertificate({})).keyPem,
      }),
      "KEY_MISMATCH",
      /private key does not belong to the certificate/,
    ],
    [
      "unreadable key",
      async () => ({ certPem: (await makeCertificate({})).certPem, keyPem: "not a key" }),
      "KEY_MISMATCH",
      /not a readable, unencrypted PEM private key/,
    ],
  ];
  it.each(cases)("refuses %s", async (_name, make, code, message) => {
    const supplied = await make();
    let error: unknown;
    try {
      loadRootCa(supplied);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
  });
});
