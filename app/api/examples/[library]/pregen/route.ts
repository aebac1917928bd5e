import { apiRoute } from "@/lib/http/api-route";
import { runOnce } from "@/lib/http/idempotency";
import { readJsonBody } from "@/lib/http/json-body";
import { cookieUserId } from "@/lib/session/cookie";
import { requireImportedUser } from "@/lib/session/service";
import { recipeFor, runExample } from "@/lib/signing/examples";
import { pregenExampleBody } from "./schema";

export const runtime = "nodejs";

/** Sign the demo message and transaction with one of the caller's pregenerated wallets; once per Idempotency-Key. */
export const POST = apiRoute<{ params: Promise<{ library: string }> }>(async (request, { params }) => {
  const recipe = recipeFor((await params).library);
  const { setId } = await readJsonBody(request, pregenExampleBody);
  return runOnce(
    request,
    await cookieUserId(),
    async () => {
      const ownerUserId = await requireImportedUser();
      return runExample(recipe, { mode: "pregen", ownerUserId, setId });
    },
    { fingerprint: { setId } },
  );
});
