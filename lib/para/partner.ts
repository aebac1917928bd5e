import "server-only";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { callPara } from "./call";
import { createParaApiClient } from "./sdk-internals/api-client";

let learned: Promise<string> | undefined;

/**
 * This app's Para partner id: what `/touch` answers as `partnerId` for a session of this app.
 * Learned from Para itself, once per process: an anonymous `/touch` made with the app's API key
 * answers the key's partner. Sessions and tokens of any other Para app are refused on every path.
 */
export function appPartnerId(): Promise<string> {
  learned ??= askPara().catch((error: unknown) => {
    // Para not answering now is no reason to stop asking later.
    learned = undefined;
    throw error;
  });
  return learned;
}

/** The `aud` a Para JWT for this app must carry: the partner id, unless `PARA_JWT_AUDIENCE` names another. */
export function appJwtAudience(): Promise<string> {
  const { jwtAudience } = getConfig().para;
  return jwtAudience ? Promise.resolve(jwtAudience) : appPartnerId();
}

async function askPara(): Promise<string> {
  // An anonymous `/touch` with the app's API key names the key's partner.
  const { partnerId } = await callPara("touchSession", () => createParaApiClient("").touchSession(false));
  if (!partnerId) throw new AppError("upstream_error", "Para's answer did not name this app's partner id.");
  return partnerId;
}
