import { apiRoute } from "@/lib/http/api-route";
import { runOnce } from "@/lib/http/idempotency";
import { cookieUserId } from "@/lib/session/cookie";
import { recipeFor, runExample } from "@/lib/signing/examples";

export const runtime = "nodejs";

/** Sign the demo message and transaction with the caller's stored session (it must hold signers); once per Idempotency-Key. */
export const POST = apiRoute<{ params: Promise<{ library: string }> }>(async (request, { params }) => {
  const recipe = recipeFor((await params).library);
  return runOnce(request, await cookieUserId(), () => runExample(recipe, { mode: "session" }));
});
