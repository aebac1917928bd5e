import "server-only";
import { Environment } from "@getpara/server-sdk";
import { getConfig } from "../config";
import { AppParaServer } from "./sdk-internals/para-server";

export type { AppParaServer };
export type { Para as ParaServer } from "@getpara/server-sdk";

/**
 * `new ParaServer(...)` for one request, as Para's guide says: one instance holds one user's
 * session, so never share it or keep it in a module. Instances that only validate
 * (`signing: false`) skip the signing worker, which would otherwise be downloaded and kept running.
 */
export function createParaServer({ signing }: { signing: boolean }): AppParaServer {
  const { para } = getConfig();
  return new AppParaServer(Environment[para.environment], para.apiKey, { disableWebSockets: !signing });
}
