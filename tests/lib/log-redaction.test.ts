import { inspect } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { resetConfigCache } from "../../lib/config";
import { redactSecrets } from "../../lib/log-redaction";

beforeAll(() => {
  Object.assign(process.env, { PARA_API_KEY: "beta_public-api-key", PARA_SECRET_KEY: "the-secret-key" });
  Object.assign(process.env, { SESSION_SECRET: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64") });
  Object.assign(process.env, { DATA_ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64") });
  resetConfigCache();
});

describe("redactSecrets", () => {
  it("takes the session cookie, the keys and signers out of what an axios error prints", () => {
    // What the SDK's worker prints for a failed call: the error, its config and headers, inspected.
    const printed = inspect({
      message: "Request failed with status code 503",
      config: {
        headers: {
          "x-capsule-sid": "capsule.sid=s%3AabcDEF123.sig",
          "x-external-api-key": "beta_public-api-key",
          "x-partner-id": "the-secret-key",
        },
        data: JSON.stringify({ signer: '{"walletId":"w1","privateKey":"deadbeef"}' }),
      },
      request: { headers: "cookie: __Host-para_server_sessions=Fe26.2*1*abc; authorization: Bearer eyJhbGciOi.payload.sig" },
    });
    const redacted = redactSecrets(printed);
    for (const secret of ["abcDEF123", "beta_public-api-key", "the-secret-key", "deadbeef", "Fe26.2*1*abc", "eyJhbGciOi"]) {
      expect(redacted, secret).not.toContain(secret);
    }
    expect(redacted).toContain("Request failed with status code 503");
    expect(redacted).toContain("[redacted]");
  });

  it("leaves ordinary lines alone", () => {
    const line = "[app] 1f2e GET /api/session 200 12ms";
    expect(redactSecrets(line)).toBe(line);
  });
});
