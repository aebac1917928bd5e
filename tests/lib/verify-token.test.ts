import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { importedParaServer, mintSession, quietSdkLogs, SECRET_KEY } from "../../para-local/testing";
import { resetConfigCache } from "../../lib/config";
import { verifyKeyHeaderName, verifyToken } from "../../lib/para/verify-token";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
const dataDir = mkdtempSync(path.join(tmpdir(), "para-verify-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

beforeEach(() => {
  Object.assign(process.env, { PARA_API_KEY: "", PARA_DATA_DIR: dataDir, DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64") });
  delete process.env.PARA_SECRET_KEY;
  resetConfigCache();
});

/** A live user's verification token, and the key headers para-local saw on the app's /sessions/verify call. */
async function verifyAndSeeHeaders() {
  const token = await (await importedParaServer(await mintSession())).getVerificationToken();
  const identity = await verifyToken(token);
  const call = paraLocal.current!.store.requestLog.findLast((entry) => entry.path === "/sessions/verify");
  return { identity, keyHeaders: call?.keyHeaders };
}

describe("the /sessions/verify key", () => {
  it("is the secret key as x-external-api-key when PARA_SECRET_KEY is set, and only that", async () => {
    process.env.PARA_SECRET_KEY = SECRET_KEY;
    resetConfigCache();
    expect(verifyKeyHeaderName()).toBe("x-external-api-key");
    const { identity, keyHeaders } = await verifyAndSeeHeaders();
    expect(identity.authType).toBe("email");
    expect(keyHeaders).toEqual(["x-external-api-key"]);
  });

  it("falls back to the API key as x-partner-id, as the server-SDK guide shows", async () => {
    expect(verifyKeyHeaderName()).toBe("x-partner-id");
    const { identity, keyHeaders } = await verifyAndSeeHeaders();
    expect(identity.authType).toBe("email");
    expect(keyHeaders).toEqual(["x-partner-id"]);
  });
});
