import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { requireImportedUser } from "@/lib/session/service";
import { recipeFor, runExample } from "@/lib/signing/examples";
import { pregenExampleBody } from "./schema";

export const runtime = "nodejs";

/** Sign the demo message and transaction with one of the caller's pregenerated wallets. */
export const POST = apiRoute<{ params: Promise<{ library: string }> }>(async (request, { params }) => {
  const recipe = recipeFor((await params).library);
  const { walletId } = await readJsonBody(request, pregenExampleBody);
  const ownerUserId = await requireImportedUser();
  return NextResponse.json(await runExample(recipe, { mode: "pregen", ownerUserId, walletSetId: walletId }));
});
