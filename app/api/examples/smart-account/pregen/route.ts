import { apiRoute } from "@/lib/http/api-route";
import { runOnce } from "@/lib/http/idempotency";
import { readJsonBody } from "@/lib/http/json-body";
import { cookieUserId } from "@/lib/session/cookie";
import { requireImportedUser } from "@/lib/session/service";
import { runSmartAccountExample } from "@/lib/signing/examples";
import { pregenExampleBody } from "../../[library]/pregen/schema";
import { smartAccountTypeOf } from "../schema";

export const runtime = "nodejs";

/** The same with one of the caller's pregenerated sets: its EVM wallet owns the smart account; once per Idempotency-Key. */
export const POST = apiRoute(async (request) => {
  const type = smartAccountTypeOf(request);
  const { setId } = await readJsonBody(request, pregenExampleBody);
  return runOnce(
    request,
    await cookieUserId(),
    async () => {
      const ownerUserId = await requireImportedUser();
      return runSmartAccountExample({ mode: "pregen", ownerUserId, setId }, type);
    },
    { fingerprint: { setId } },
  );
});
