import "server-only";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { ParaSessionApi } from "./api";

let learned: Promise<string> | undefined;

/**
 * This app's Para partner id: what a Para JWT for this app names as `aud`, and what `/touch`
 * answers as `partnerId` for a session of this app. Learned from Para itself, once per process:
 * an anonymous `/touch` made with the app's API key answers the key's partner. `PARA_JWT_AUDIENCE`
 * overrides it. Sessions and tokens of any other Para app are refused on every path.
 */
export function appPartnerId(): Promise<string> {
  const { jwtAudience } = getConfig().para;
  if (jwtAudience) return Promise.resolve(jwtAudience);
  learned ??= askPara().catch((error: unknown) => {
    // Para not answering now is no reason to stop asking later.
    learned = undefined;
    throw error;
  });
  return learned;
}

async function askPara(): Promise<string> {
  const { partnerId } = await new ParaSessionApi("").touch();
  if (!partnerId) throw new AppError("upstream_error", "Para's answer did not name this app's partner id.");
  return partnerId;
}
