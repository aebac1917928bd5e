/**
 * The guide's check, as a team copying Para's server-SDK guide would write it: a bare Node HTTP
 * server that, for every request, builds a new `ParaServer`, imports the exported session the
 * client sent, asks `isSessionActive()` and exports the session again. The benchmark runs it in a
 * process of its own beside the app, against the same para-local and the same users. Not part of
 * the app. `tsx bench/guide-pattern-server.ts <port>`.
 */
import { createServer } from "node:http";
import { Environment, Para as ParaServer } from "@getpara/server-sdk";
import { API_KEY, quietSdkLogs } from "../para-local/testing";

// The DEV SDK prints a state dump on every change; the app silences it too (lib/para/server.ts).
quietSdkLogs();
const port = Number(process.argv[2] ?? 3103);

createServer(async (request, response) => {
  if (request.url === "/health") return void response.end("ok");
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    const { session } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { session: string };
    const para = new ParaServer(Environment.DEV, API_KEY, { disableWebSockets: true });
    await para.importSession(session);
    const active = await para.isSessionActive();
    if (active) await para.waitAndExportSession();
    response.writeHead(active ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify({ active }));
  } catch {
    response.writeHead(500).end();
  }
}).listen(port, "127.0.0.1");
