import { describe, expect, it } from "vitest";
import { API_KEY, API_URL, advanceClock, mintSession } from "../testing/index.js";

/** The x-capsule-sid header para-local answers a call with, and the Expires it carries. */
async function sessionHeader(path: string, cookie: string, method = "POST") {
  const response = await fetch(`${API_URL}${path}`, { method, headers: { "x-external-api-key": API_KEY, "x-capsule-sid": cookie } });
  expect(response.status).toBe(200);
  const header = response.headers.get("x-capsule-sid") ?? "";
  return { header, expires: Date.parse(/Expires=([^;]+)/.exec(header)?.[1] ?? "") };
}

describe("the session cookie carries its expiry, as the React SDK needs", () => {
  it("answers /touch with Expires = the session's end, and keep-alive moves it forward", async () => {
    const minted = await mintSession();
    // The SDK stores the whole header and sends it back as is; the session is found by its name=value part.
    expect(minted.sessionCookie).toMatch(/^capsule\.sid=[^;]+; Path=\/; Expires=[^;]+; HttpOnly/);

    const touched = await sessionHeader("/touch", minted.sessionCookie);
    expect(touched.header.split(";")[0]).toBe(minted.sessionCookie.split(";")[0]);
    // Para's default session length is two hours (the SDK logs the browser out when Expires is missing or past).
    expect(touched.expires - Date.now()).toBeGreaterThan(119 * 60 * 1000);
    expect(touched.expires - Date.now()).toBeLessThanOrEqual(120 * 60 * 1000);

    await advanceClock(30 * 60 * 1000);
    const kept = await sessionHeader(`/users/${minted.userId}/session/keep-alive`, touched.header);
    // Extended from para-local's (advanced) clock, shown in wall-clock time: still two hours from the SDK's point of view.
    expect(kept.expires).toBeGreaterThanOrEqual(touched.expires);
  });
});
