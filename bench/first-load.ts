/**
 * First-load JavaScript of each page, as Chromium fetches it before the user does anything:
 * every script the page loads until the network is idle, counted compressed (what crosses the
 * wire) and raw. Debian's Chromium, as the end-to-end tests use it.
 */
import { chromium } from "@playwright/test";

export interface FirstLoad {
  path: string;
  scripts: number;
  gzipBytes: number;
  rawBytes: number;
}

export async function measureFirstLoad(baseUrl: string, paths: readonly string[]): Promise<FirstLoad[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const results: FirstLoad[] = [];
    for (const path of paths) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const scripts: Promise<{ encoded: number; raw: number }>[] = [];
      page.on("requestfinished", (request) => {
        if (request.resourceType() !== "script") return;
        scripts.push(
          Promise.all([request.sizes(), request.response().then((response) => response?.body())]).then(([sizes, body]) => ({
            encoded: sizes.responseBodySize,
            raw: body?.length ?? 0,
          })),
        );
      });
      await page.goto(new URL(path, baseUrl).toString(), { waitUntil: "networkidle" });
      const sizes = await Promise.all(scripts);
      results.push({
        path,
        scripts: sizes.length,
        gzipBytes: sizes.reduce((sum, size) => sum + size.encoded, 0),
        rawBytes: sizes.reduce((sum, size) => sum + size.raw, 0),
      });
      await context.close();
    }
    return results;
  } finally {
    await browser.close();
  }
}
