import { apiRoute } from "@/lib/http/api-route";
import { runOnce } from "@/lib/http/idempotency";
import { cookieUserId } from "@/lib/session/cookie";
import { runSmartAccountExample } from "@/lib/signing/examples";
import { smartAccountTypeOf } from "../schema";

export const runtime = "nodejs";

/** A user operation from a smart account owned by the stored session's EVM wallet (sent with signers); once per Idempotency-Key. */
export const POST = apiRoute(async (request) => {
  const type = smartAccountTypeOf(request);
  return runOnce(request, await cookieUserId(), () => runSmartAccountExample({ mode: "session" }, type));
});
