import { afterAll, describe, expect, it } from "vitest";
import { API_KEY, API_URL, advanceClock, DEFAULT_SESSION_LENGTH_MS, mintSession, resetParaLocal } from "../testing/index.js";

/** The x-capsule-sid header para-local answers a call with, and the Expires it carries. */
async function sessionHeader(path: string, cookie: string, method = "POST") {
  const response = await fetch(`${API_URL}${path}`, { method, headers: { "x-external-api-key": API_KEY, "x-capsule-sid": cookie } });
  expect(response.status).toBe(200);
  const header = response.headers.get("x-capsule-sid") ?? "";
  return { header, expires: Date.parse(/Expires=([^;]+)/.exec(header)?.[1] ?? "") };
}

// The clock is para-local-wide: put it back for the next file.
afterAll(() => resetParaLocal());

describe("the session cookie carries its expiry, as the React SDK needs", () => {
  it("answers /touch with Expires = the session's end, and keep-alive moves it forward", async () => {
    const minted = await mintSession();
    // The SDK stores the whole header and sends it back as is; the session is found by its name=value part.
    expect(minted.sessionCookie).toMatch(/^capsule\.sid=[^;]+; Path=\/; Expires=[^;]+; HttpOnly/);

    const touched = await sessionHeader("/touch", minted.sessionCookie);
    expect(touched.header.split(";")[0]).toBe(minted.sessionCookie.split(";")[0]);
    // para-local's default session length is 30 minutes, the shorter of Para's two documented
    // defaults (the SDK logs the browser out when Expires is missing or past).
    expect(DEFAULT_SESSION_LENGTH_MS).toBe(30 * 60 * 1000);
    expect(touched.expires - Date.now()).toBeGreaterThan(29 * 60 * 1000);
    expect(touched.expires - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000);

    await advanceClock(20 * 60 * 1000);
    const kept = await sessionHeader(`/users/${minted.userId}/session/keep-alive`, touched.header);
    // Extended from para-local's (advanced) clock, shown in wall-clock time: still 30 minutes from the SDK's point of view.
    expect(kept.expires).toBeGreaterThanOrEqual(touched.expires);
    expect(kept.expires - Date.now()).toBeGreaterThan(29 * 60 * 1000);
  });
});
