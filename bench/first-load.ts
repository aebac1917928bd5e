/**
 * First-load JavaScript of each page, as Chromium fetches it before the user does anything:
 * every script the page loads until the network is idle, counted compressed (what crosses the
 * wire) and raw. Debian's Chromium, as the end-to-end tests use it.
 */
import { chromium } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "../e2e/chromium";

export interface FirstLoad {
  path: string;
  scripts: number;
  gzipBytes: number;
  rawBytes: number;
}

/**
 * Each page as a first-time visitor loads it, and then what pressing "Sign in with Para" on the
 * first page adds (the Para SDK, fetched on demand) until the modal asks for an email.
 */
export async function measureFirstLoad(baseUrl: string, paths: readonly string[]): Promise<{ pages: FirstLoad[]; signIn: FirstLoad }> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const pages: FirstLoad[] = [];
    let signIn: FirstLoad | undefined;
    for (const path of paths) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let scripts: Promise<{ encoded: number; raw: number }>[] = [];
      page.on("requestfinished", (request) => {
        if (request.resourceType() !== "script") return;
        const size = Promise.all([request.sizes(), request.response().then((response) => response?.body())]).then(([sizes, body]) => ({
          encoded: sizes.responseBodySize,
          raw: body?.length ?? 0,
        }));
        // A script that finishes after the last count is awaited by no one, and its body goes with the
        // context: without a handler that rejection would end the run. A counted one still throws.
        size.catch(() => {});
        scripts.push(size);
      });
      const total = async (label: string): Promise<FirstLoad> => {
        const sizes = await Promise.all(scripts);
        scripts = [];
        return {
          path: label,
          scripts: sizes.length,
          gzipBytes: sizes.reduce((sum, size) => sum + size.encoded, 0),
          rawBytes: sizes.reduce((sum, size) => sum + size.raw, 0),
        };
      };
      await page.goto(new URL(path, baseUrl).toString(), { waitUntil: "networkidle" });
      pages.push(await total(path));
      if (!signIn) {
        await page.getByRole("button", { name: "Sign in with Para" }).click();
        await page.getByTestId("auth-input").locator("input").waitFor();
        await page.waitForLoadState("networkidle");
        signIn = await total(`${path} → Sign in`);
      }
      await context.close();
    }
    return { pages, signIn: signIn! };
  } finally {
    await browser.close();
  }
}
