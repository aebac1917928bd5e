import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintSession, newParaServer, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { AppClient } from "./client";

// A user who signed in with OAuth (Google, X, …) on every path: the server's view names the provider
// as Para attests it (its JWT, its verify answer), never as the exported session says.

quietSdkLogs();
paraLocalForThisFile();

interface View {
  userId: string | null;
  authType: string;
  identifier: string;
  oAuthMethod?: string;
  path: string;
}

const decode = (serialized: string) => JSON.parse(Buffer.from(serialized, "base64").toString("utf8")) as Record<string, unknown>;
const encode = (json: unknown) => Buffer.from(JSON.stringify(json)).toString("base64");

describe("an OAuth user", () => {
  for (const method of ["google", "x"] as const) {
    it(`(${method}) imports, verifies with a token and with a JWT, signs with the session and with pregenerated wallets`, async () => {
      const user = await mintSession({ email: `oauth-${method}-${randomUUID().slice(0, 8)}@example.com`, oAuthMethod: method });
      const client = new AppClient();
      const imported = await client.request<View>("POST", "/api/session", { json: { session: user.session } });
      expect(imported.status, imported.text).toBe(200);
      expect(imported.body).toMatchObject({ authType: "email", identifier: user.identifier, oAuthMethod: method, path: "import" });
      expect((await client.request<View>("GET", "/api/session")).body.oAuthMethod).toBe(method);

      const para = newParaServer();
      await para.importSession(user.session);
      const token = await new AppClient().request<View>("POST", "/api/session/verify", {
        json: { verificationToken: await para.getVerificationToken() },
      });
      expect(token.body).toMatchObject({ path: "token", oAuthMethod: method });
      const jwt = await new AppClient().request<View>("POST", "/api/session/jwt", { json: { token: (await para.issueJwt()).token } });
      expect(jwt.body).toMatchObject({ path: "jwt", oAuthMethod: method, userId: user.userId });

      expect((await client.request("POST", "/api/examples/viem/session")).status).toBe(200);
      const set = await client.request<{ id: string }>("POST", "/api/wallets/pregen", {
        json: { identifier: { type: "customId", value: `oauth-set-${randomUUID()}` } },
      });
      expect(set.status, set.text).toBe(201);
      expect((await client.request("POST", "/api/examples/solana/pregen", { json: { setId: set.body.id } })).status).toBe(200);
    });
  }

  it("a blob that claims an OAuth provider for an email user changes nothing: the view says what Para says", async () => {
    const user = await mintSession({ email: `claims-${randomUUID().slice(0, 8)}@example.com` });
    const blob = decode(user.session);
    const claimed = encode({ ...blob, authInfo: { ...(blob.authInfo as object), oAuthMethod: "google", authType: "google" } });
    const imported = await new AppClient().request<View>("POST", "/api/session", { json: { session: claimed } });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.authType).toBe("email");
    expect(imported.body.oAuthMethod).toBeUndefined();
  });
});
