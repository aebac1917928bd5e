import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { paraVersion } from "@getpara/core-sdk";
import { Para as ParaServer } from "@getpara/server-sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { resetConfigCache } from "../../lib/config";
import { createParaApiClient } from "../../lib/para/sdk-internals/api-client";
import { PARA_BROWSER_SESSION_KEY } from "../../lib/para/sdk-internals/browser-storage";
import { AppParaServer, SIGNING_METHODS } from "../../lib/para/sdk-internals/para-server";
import { createParaServer } from "../../lib/para/server";
import { cookieExpires, mintSession, PARTNER_ID, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

// The contract for lib/para/sdk-internals/: every piece of SDK surface Para does not document that
// the app relies on. An SDK upgrade that changes any of it fails here, not in production.

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
beforeAll(() => {
  Object.assign(process.env, { PARA_API_KEY: "" });
  resetConfigCache();
});

describe("core-sdk's API client (api-client.ts)", () => {
  it("exports initClient and paraVersion; touchSession answers who, which app, and the session's id", async () => {
    expect(typeof paraVersion).toBe("string");
    const minted = await mintSession();
    const answer = await createParaApiClient(minted.sessionCookie).touchSession(false);
    expect(answer).toMatchObject({ userId: minted.userId, partnerId: PARTNER_ID, isAuthenticated: true });
    expect(typeof answer.sessionId).toBe("string");
    expect(answer.currentWalletIds).toBeTypeOf("object");
  });

  it("keepSessionAlive(userId) and issueJwt({keyIndex}) are one request each; a new cookie reaches onCookie", async () => {
    const minted = await mintSession();
    const cookies: string[] = [];
    const client = createParaApiClient(minted.sessionCookie, (cookie) => cookies.push(cookie));
    const store = paraLocal.current!.store;
    const before = store.apiRequests;
    await client.keepSessionAlive(minted.userId);
    const { token, keyId } = await client.issueJwt({ keyIndex: 0 });
    expect(store.apiRequests - before).toBe(2);
    expect(token.split(".")).toHaveLength(3);
    expect(typeof keyId).toBe("string");
    // para-local renews the cookie's Expires on keep-alive, as Para does, in the x-capsule-sid header.
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookieExpires(cookies.at(-1)!)).toBeGreaterThan(0);
  });
});

describe("ParaServer's undocumented members (para-server.ts)", () => {
  it("overrides members the SDK still has: devLog and getPlatformUtils with the four signing methods", () => {
    const prototype = ParaServer.prototype as unknown as Record<string, unknown>;
    expect(typeof prototype.devLog).toBe("function");
    expect(typeof prototype.getPlatformUtils).toBe("function");
    const utils = (createParaServer({ signing: false }) as unknown as { getPlatformUtils(): Record<string, unknown> }).getPlatformUtils();
    for (const method of SIGNING_METHODS) expect(typeof utils[method], method).toBe("function");
  });

  it("keeps the /touch answer isSessionActive() got (ctx.client.touchSession), and the wallet selection it holds", async () => {
    const minted = await mintSession();
    const para = createParaServer({ signing: false });
    expect(para).toBeInstanceOf(AppParaServer);
    await para.importSession(minted.session);
    expect(await para.isSessionActive()).toBe(true);
    expect(para.lastTouch).toMatchObject({ userId: minted.userId, partnerId: PARTNER_ID, isAuthenticated: true });
    expect(typeof para.lastTouch?.sessionId).toBe("string");
    // The getters behind walletSelection(): Para's selection for the session, and the partner's prefix.
    expect(para.walletSelection()).toEqual({ currentWalletIds: para.lastTouch?.currentWalletIds, cosmosPrefix: "cosmos" });
  });
});

describe("the browser SDK's storage key (browser-storage.ts)", () => {
  it("is core-sdk's LOCAL_STORAGE_SESSION_COOKIE", () => {
    // The constant is not exported: read it where core-sdk defines it.
    const coreDir = path.dirname(createRequire(import.meta.url).resolve("@getpara/core-sdk"));
    const constants = readFileSync(path.join(coreDir, "..", "esm", "constants.js"), "utf8");
    const prefix = /const PREFIX = "([^"]+)"/.exec(constants)?.[1];
    const key = /const LOCAL_STORAGE_SESSION_COOKIE = `\$\{PREFIX\}(\w+)`/.exec(constants)?.[1];
    expect(`${prefix}${key}`).toBe(PARA_BROWSER_SESSION_KEY);
  });
});
