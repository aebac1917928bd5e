import { Hono } from "hono";
import type { Logger } from "../log.js";
import { isWorkerBundle, workerBundle } from "../workers/bundles.js";

/** The para-local portal (Para's `localhost:3003` in `Environment.DEV`): worker bundles and the pages the modal embeds. */
export function createPortal({ log }: { log: Logger }): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.request("portal", c.req.method, c.req.path, c.res.status, performance.now() - started);
  });

  app.get("/static/js/:file", async (c) => {
    const file = c.req.param("file");
    if (!isWorkerBundle(file)) return c.text("not found", 404);
    c.header("access-control-allow-origin", "*");
    c.header("content-type", "application/javascript; charset=utf-8");
    return c.body(await workerBundle(file));
  });

  app.notFound((c) => c.text(`no route for ${c.req.method} ${c.req.path}`, 404));
  app.onError((error, c) => {
    log.error(`portal ${c.req.method} ${c.req.path}`, error);
    return c.text("internal error", 500);
  });
  return app;
}
